@ Reads DWT->CYCCNT around 10 ALU instructions and exits with the difference as its status.
        .include "harness.inc"
reset:
        ldr     r0, =0xE000EDFC         @ DEMCR
        ldr     r1, =0x01000000         @ TRCENA
        str     r1, [r0]
        ldr     r0, =0xE0001000         @ DWT_CTRL
        movs    r1, #1                  @ CYCCNTENA
        str     r1, [r0]
        ldr     r3, =0xE0001004         @ DWT_CYCCNT
        ldr     r4, [r3]
        adds    r2, r2, #1
        adds    r2, r2, #1
        adds    r2, r2, #1
        adds    r2, r2, #1
        adds    r2, r2, #1
        adds    r2, r2, #1
        adds    r2, r2, #1
        adds    r2, r2, #1
        adds    r2, r2, #1
        adds    r2, r2, #1
        ldr     r5, [r3]
        subs    r6, r5, r4
        ldr     r1, =exit_block         @ .data is not initialised (no startup code): write both words
        ldr     r2, =0x20026
        str     r2, [r1]
        str     r6, [r1, #4]
        movs    r0, #0x20               @ SYS_EXIT_EXTENDED {ADP_Stopped_ApplicationExit, r6}
        bkpt    #0xAB
        .data
        .balign 4
exit_block: .word 0, 0
        .text
        .ltorg
