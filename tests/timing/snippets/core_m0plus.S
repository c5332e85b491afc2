@ Cortex-M0+ instruction sequences, each inside its own region of interest. Expected cycles are
@ derived by hand in tests/timing/test_core_m0plus_m3_m33.cpp from core-facts.md A.1 (M0+).
        .include "harness_v6m.inc"
reset:
        ldr     r2, =0x20001000         @ SRAM scratch
        str     r2, [r2]
        movs    r0, #7
        str     r0, [r2, #4]
        str     r0, [r2, #8]
        movs    r5, #3

        ROI_BEGIN 1                     @ 10 x ALU
        adds    r3, r3, #1
        adds    r3, r3, #1
        adds    r3, r3, #1
        adds    r3, r3, #1
        adds    r3, r3, #1
        adds    r3, r3, #1
        adds    r3, r3, #1
        adds    r3, r3, #1
        adds    r3, r3, #1
        adds    r3, r3, #1
        ROI_END 1

        ROI_BEGIN 2                     @ two independent loads: no pipelining on the M0+
        ldr     r3, [r2]
        ldr     r4, [r2, #4]
        ROI_END 2

        ROI_BEGIN 3                     @ address from the preceding ALU result: no AGU stall
        adds    r6, r2, #0
        ldr     r4, [r6]
        ROI_END 3

        ROI_BEGIN 4                     @ two stores
        str     r4, [r2, #12]
        strb    r4, [r2, #16]
        ROI_END 4

        ROI_BEGIN 5                     @ PUSH 5 registers, POP 4 registers
        push    {r4-r7, lr}
        pop     {r4-r7}
        add     sp, sp, #4
        ROI_END 5

        ROI_BEGIN 6                     @ unconditional branch, taken
        b       1f
        nop
1:      ROI_END 6

        ROI_BEGIN 7                     @ conditional branch not taken, then two NOPs
        cmp     r0, r0
        bne     1f
        nop
        nop
1:      ROI_END 7

        ROI_BEGIN 8                     @ conditional branch taken over two NOPs
        cmp     r0, r0
        beq     1f
        nop
        nop
1:      ROI_END 8

        ROI_BEGIN 9                     @ BL to a function that returns with BX LR
        bl      leaf
        ROI_END 9

        ROI_BEGIN 10                    @ BL to a function that returns with POP {r4, pc}
        bl      pop_leaf
        ROI_END 10

        ROI_BEGIN 11                    @ MULS (fast or small multiplier: a core option)
        muls    r4, r5, r4
        ROI_END 11

        ROI_BEGIN 12                    @ two literal loads from flash (the pool below), 0 WS
        ldr     r3, =0x12345678
        ldr     r4, =0x9abcdef0
        ROI_END 12

        EXIT_OK

        .thumb_func
leaf:   bx      lr
        .thumb_func
pop_leaf:
        push    {r4, lr}
        pop     {r4, pc}

        .ltorg
        ROI_BLOCK 1
        ROI_BLOCK 2
        ROI_BLOCK 3
        ROI_BLOCK 4
        ROI_BLOCK 5
        ROI_BLOCK 6
        ROI_BLOCK 7
        ROI_BLOCK 8
        ROI_BLOCK 9
        ROI_BLOCK 10
        ROI_BLOCK 11
        ROI_BLOCK 12
        .ltorg
