@ Reads DWT->CYCCNT around 10 ALU instructions and exits with the difference as its status.
        .include "harness.inc"
reset:
        CYCCNT_ON
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
        EXIT_STATUS r6
