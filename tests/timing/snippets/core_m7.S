@ Cortex-M7 instruction sequences, each inside its own region of interest (assembled for the M7,
@ run on tests/timing/boards/arm-cortex-m7.toml). Expected cycles are derived by hand in
@ tests/timing/test_core_m7.cpp from the rules cited in core-models/data/cortex-m7.toml.
        .include "harness.inc"
reset:
        ldr     r2, =0x20001000         @ SRAM scratch (8-byte aligned)
        movs    r0, #7
        str     r0, [r2]
        str     r0, [r2, #4]

        ROI_BEGIN 1                     @ 8 independent ALU ops: 2 per cycle
        adds    r3, #1
        adds    r4, #1
        adds    r5, #1
        adds    r6, #1
        adds    r7, #1
        adds    r3, #1
        adds    r4, #1
        adds    r5, #1
        ROI_END 1

        ROI_BEGIN 2                     @ 10 dependent ALU ops: 1 per cycle
        adds    r3, #1
        adds    r3, #1
        adds    r3, #1
        adds    r3, #1
        adds    r3, #1
        adds    r3, #1
        adds    r3, #1
        adds    r3, #1
        adds    r3, #1
        adds    r3, #1
        ROI_END 2

        ROI_BEGIN 3                     @ LDR+ALU, LDR+STR pairs
        ldr     r3, [r2]
        adds    r4, #1
        ldr     r5, [r2, #4]
        str     r6, [r2, #12]
        ROI_END 3

        ROI_BEGIN 4                     @ two loads to different banks, then their use
        ldr     r3, [r2]
        ldr     r4, [r2, #4]
        adds    r5, r3, r4
        ROI_END 4

        ROI_BEGIN 5                     @ byte load, then its use
        ldrb    r3, [r2]
        adds    r4, r3, #1
        ROI_END 5

        ROI_BEGIN 6                     @ MLA accumulator chain
        mla     r4, r5, r6, r4
        mla     r4, r5, r6, r4
        mla     r4, r5, r6, r4
        mla     r4, r5, r6, r4
        ROI_END 6

        ROI_BEGIN 7                     @ PUSH 5, POP 4, ADD SP
        push    {r4-r7, lr}
        pop     {r4-r7}
        add     sp, sp, #4
        ROI_END 7

        ROI_BEGIN 8                     @ two bitfield ops: older slot only
        uxtb    r4, r5
        uxtb    r6, r7
        ROI_END 8

        ROI_BEGIN 9                     @ a 5-iteration loop
        movs    r4, #5
1:      subs    r4, #1
        bne     1b
        ROI_END 9

        ROI_BEGIN 10                    @ the same loop function called twice
        bl      loop3
        bl      loop3
        ROI_END 10

        ROI_BEGIN 11                    @ dependent VADDs
        vadd.f32 s0, s1, s2
        vadd.f32 s3, s0, s4
        ROI_END 11

        ROI_BEGIN 12                    @ a not-taken branch pairs across the block edge
        cmp     r0, r0
        add.w   r3, r3, #1
        bne     1f                      @ never taken: ends the block, falls through
        add.w   r5, r5, #1
        add.w   r6, r6, #1
        add.w   r7, r7, #1
        ROI_END 12
1:

        EXIT_OK

        .thumb_func
loop3:  movs    r4, #3
1:      subs    r4, #1
        bne     1b
        bx      lr

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
