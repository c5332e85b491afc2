# A loop of 3 ALU instructions and a taken branch, run ITERATIONS times inside region 1.
        .include "harness.inc"
_start:
        ROI_BEGIN 1
        li      s0, ITERATIONS
        j       loop
        .balign 16
loop:   addi    s1, s1, 1
        addi    s2, s2, 1
        addi    s0, s0, -1
        bnez    s0, loop
        ROI_END 1
        EXIT 0
        ROI_BLOCK 1
        .data
exit_block: .word 0, 0
