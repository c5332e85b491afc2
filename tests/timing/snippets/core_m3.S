@ Cortex-M3 instruction sequences, each inside its own region of interest. Expected cycles are
@ derived by hand in tests/timing/test_core_m0plus_m3_m33.cpp from core-facts.md A.2.
@ (Operands avoid r0/r1: the region markers use them.)
        .include "harness.inc"
reset:
        ldr     r2, =0x20001000         @ SRAM scratch
        str     r2, [r2]
        movs    r3, #7
        str     r3, [r2, #4]
        str     r3, [r2, #8]
        ldr     r8, =0x20001100         @ a second valid address

        ROI_BEGIN 1                     @ MLA: 2 cycles on the M3
        mla     r4, r5, r6, r4
        ROI_END 1

        ldr     r6, =1000
        ldr     r7, =2000
        ROI_BEGIN 2                     @ UMULL, both operands < 64K: early termination
        umull   r4, r5, r6, r7
        ROI_END 2

        ldr     r6, =0x12345678
        ldr     r7, =0x9abcdef0
        ROI_BEGIN 3                     @ UMULL, both operands use both 16-bit halves
        umull   r4, r5, r6, r7
        ROI_END 3

        ROI_BEGIN 4                     @ UMLAL, both operands use both halves
        umlal   r4, r5, r6, r7
        ROI_END 4

        ROI_BEGIN 5                     @ two independent loads: the second pipelines
        ldr     r3, [r2]
        ldr     r4, [r2, #4]
        ROI_END 5

        mov     r9, r2
        ROI_BEGIN 6                     @ post-indexed load: never pipelines on the M3
        ldr     r3, [r9], #4
        ldr     r4, [r8]
        ROI_END 6

        ldr     r6, =0x7fffffff
        movs    r7, #1
        ROI_BEGIN 7                     @ UDIV 0x7fffffff / 1 (divider unchanged from the M4)
        udiv    r4, r6, r7
        ROI_END 7

        EXIT_OK
        ROI_BLOCK 1
        ROI_BLOCK 2
        ROI_BLOCK 3
        ROI_BLOCK 4
        ROI_BLOCK 5
        ROI_BLOCK 6
        ROI_BLOCK 7
        .ltorg
