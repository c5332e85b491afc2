@ Cortex-M4 instruction sequences, each inside its own region of interest. Expected cycles are
@ derived by hand in tests/timing/test_core_m4.cpp from core-facts.md A.2/A.3 and F.
        .include "harness.inc"
reset:
        ldr     r2, =0x20001000         @ SRAM scratch
        str     r2, [r2]                @ [r2] = r2 (a valid address for the dependent load)
        movs    r0, #7
        str     r0, [r2, #4]
        str     r0, [r2, #8]

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

        ROI_BEGIN 2                     @ two independent loads: the second pipelines
        ldr     r3, [r2]
        ldr     r4, [r2, #4]
        ROI_END 2

        ROI_BEGIN 3                     @ dependent load: address from the first load
        ldr     r3, [r2]
        ldr     r4, [r3, #4]
        ROI_END 3

        ROI_BEGIN 4                     @ AGU stall: address from the preceding ALU result
        adds    r5, r2, #0
        ldr     r4, [r5]
        ROI_END 4

        ROI_BEGIN 5                     @ LDRD, then STR, STR
        ldrd    r4, r5, [r2]
        str     r4, [r2, #12]
        str     r5, [r2, #16]
        ROI_END 5

        ROI_BEGIN 6                     @ PUSH 5 registers, POP 4 registers
        push    {r4-r7, lr}
        pop     {r4-r7}
        add     sp, sp, #4
        ROI_END 6

        ROI_BEGIN 7                     @ MUL, MLA, SMULL, SMLAD
        muls    r4, r5, r4
        mla     r4, r5, r6, r4
        smull   r4, r5, r6, r7
        smlad   r4, r5, r6, r4
        ROI_END 7

        ROI_BEGIN 8                     @ unconditional branch, taken
        b       1f
        nop
1:      ROI_END 8

        ROI_BEGIN 9                     @ conditional branch not taken, then two NOPs
        cmp     r0, r0
        bne     1f
        nop
        nop
1:      ROI_END 9

        ROI_BEGIN 10                    @ conditional branch taken over two NOPs
        cmp     r0, r0
        beq     1f
        nop
        nop
1:      ROI_END 10

        ROI_BEGIN 11                    @ BL to a function that returns with BX LR
        bl      leaf
        ROI_END 11

        ROI_BEGIN 12                    @ FPU: VADD (1), VMLA (3), VDIV (14)
        vadd.f32 s0, s1, s2
        vmla.f32 s0, s1, s2
        vdiv.f32 s3, s1, s2
        ROI_END 12

        ROI_BEGIN 13                    @ B to a 32-bit target at 2 mod 4 (the end marker's MOVW)
        b       1f
        .balign 4
        nop                             @ 16-bit at 0 mod 4, skipped
1:      ROI_END 13

        ROI_BEGIN 14                    @ B to the same 32-bit target at 0 mod 4
        b       1f
        .balign 4
1:      ROI_END 14

        ldr     r8, =flash_words        @ two words in flash (read at 0 WS: no stall)

        ROI_BEGIN 15                    @ LDR from flash, then an independent LDR from SRAM
        ldr     r3, [r8]
        ldr     r4, [r2]
        ROI_END 15

        ROI_BEGIN 16                    @ LDR from SRAM, then an independent LDR from flash
        ldr     r3, [r2]
        ldr     r4, [r8]
        ROI_END 16

        ROI_BEGIN 17                    @ two independent LDRs from flash
        ldr     r3, [r8]
        ldr     r4, [r8, #4]
        ROI_END 17

        ROI_BEGIN 18                    @ LDR of a word at 2 mod 4 (SRAM)
        ldr     r3, [r2, #2]
        ROI_END 18

        ROI_BEGIN 19                    @ LDR of a word at an odd address (SRAM)
        ldr     r3, [r2, #1]
        ROI_END 19

        ROI_BEGIN 20                    @ LDRH of a halfword at an odd address (SRAM)
        ldrh    r3, [r2, #1]
        ROI_END 20

        EXIT_OK

        .thumb_func
leaf:   bx      lr

        .balign 8
flash_words:
        .word   0x11111111, 0x22222222

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
        ROI_BLOCK 13
        ROI_BLOCK 14
        ROI_BLOCK 15
        ROI_BLOCK 16
        ROI_BLOCK 17
        ROI_BLOCK 18
        ROI_BLOCK 19
        ROI_BLOCK 20
        .ltorg
