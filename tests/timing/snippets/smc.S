@ Self-modifying code, as a flash driver does it: copy a function (movs r0, #1; bx lr) from flash
@ to SRAM, call it, patch its first instruction in SRAM to movs r0, #2 and call it again, then to
@ movs r0, #7 and call it a third time. Exit status = 100*first + 10*second + third: 127 when every
@ patch is seen (a stale translation gives 111 or 122 or similar). DSB/ISB after each patch as
@ the ARMv7-M ARM requires before executing modified code (A3.7.3).
        .include "harness.inc"
reset:
        ldr     r3, =0x20001000         @ RAM copy of ram_fn
        adr     r1, ram_fn
        ldr     r2, [r1]                @ both halfwords
        str     r2, [r3]
        dsb
        isb
        orr     r7, r3, #1              @ Thumb bit
        blx     r7
        mov     r4, r0                  @ 1
        movw    r2, #0x2002             @ movs r0, #2
        strh    r2, [r3]
        dsb
        isb
        blx     r7
        mov     r5, r0                  @ 2
        movw    r2, #0x2007             @ movs r0, #7
        strh    r2, [r3]
        dsb
        isb
        blx     r7
        mov     r6, r0                  @ 7
        movs    r0, #100
        muls    r4, r0, r4
        movs    r0, #10
        mla     r4, r5, r0, r4
        add     r4, r4, r6
        ldr     r1, =0x20000000         @ exit block {ADP_Stopped_ApplicationExit, status}
        ldr     r0, =0x20026
        str     r0, [r1]
        str     r4, [r1, #4]
        movs    r0, #0x20
        bkpt    #0xAB
        .balign 4
ram_fn: movs    r0, #1
        bx      lr
        .ltorg
