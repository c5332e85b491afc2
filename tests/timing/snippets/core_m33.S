@ Cortex-M33 instruction sequences, each inside its own region of interest. Expected cycles are
@ derived by hand in tests/timing/test_core_m0plus_m3_m33.cpp from core-facts.md A.5 (jnk0le).
@ `.n` marks the 16-bit encodings the dual-issue rule depends on.
        .include "harness.inc"
reset:
        ldr     r2, =0x20001000         @ SRAM scratch
        str     r2, [r2]
        movs    r3, #7
        str     r3, [r2, #4]

        ROI_BEGIN 1                     @ load-to-use: the ADDS waits for the load
        ldr.n   r3, [r2]
        adds.n  r4, r3, #1
        ROI_END 1

        ROI_BEGIN 2                     @ three MLAs chained on the accumulator
        mla     r4, r5, r6, r4
        mla     r4, r5, r6, r4
        mla     r4, r5, r6, r4
        ROI_END 2

        ROI_BEGIN 3                     @ 16-bit ALU + NOP: dual issue
        adds.n  r3, #1
        nop.n
        ROI_END 3

        ROI_BEGIN 4                     @ 16-bit ALU + ALU: no dual issue
        adds.n  r3, #1
        adds.n  r4, #1
        ROI_END 4

        ROI_BEGIN 5                     @ 16-bit LDR + ALU: no dual issue
        ldr.n   r3, [r2]
        adds.n  r4, #1
        ROI_END 5

        ROI_BEGIN 6                     @ 16-bit ADD (no flags) + taken B.N: paired
        add.n   r3, r4
        b.n     1f
        nop
1:      ROI_END 6

        ROI_BEGIN 7                     @ 16-bit ADDS (sets flags) + taken B.N
        adds.n  r3, #1
        b.n     1f
        nop
1:      ROI_END 7

        ROI_BEGIN 8                     @ VFMA chained on the accumulator
        vfma.f32 s0, s1, s2
        vfma.f32 s0, s3, s4
        ROI_END 8

        EXIT_OK
        ROI_BLOCK 1
        ROI_BLOCK 2
        ROI_BLOCK 3
        ROI_BLOCK 4
        ROI_BLOCK 5
        ROI_BLOCK 6
        ROI_BLOCK 7
        ROI_BLOCK 8
        .ltorg
