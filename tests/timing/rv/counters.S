# Reads mcycle and minstret around 10 ALU instructions and exits with
# (cycle delta << 8) | retired-instruction delta.
        .include "harness.inc"
_start:
        csrr    t0, mcycle              # index 0
        csrr    t1, minstret            # index 1
        addi    s1, s1, 1               # indices 2..11
        addi    s1, s1, 1
        addi    s1, s1, 1
        addi    s1, s1, 1
        addi    s1, s1, 1
        addi    s1, s1, 1
        addi    s1, s1, 1
        addi    s1, s1, 1
        addi    s1, s1, 1
        addi    s1, s1, 1
        csrr    t2, mcycle              # index 12
        csrr    t3, minstret            # index 13
        sub     t2, t2, t0
        sub     t3, t3, t1
        slli    t2, t2, 8
        or      s2, t2, t3
        la      a1, exit_block
        li      t0, 0x20026
        sw      t0, 0(a1)
        sw      s2, 4(a1)
        li      a0, 0x20
        SEMIHOST
        .data
exit_block: .word 0, 0
