# Writes "ok\n" to the board's console register, then ends the run the board's way:
# HALT=1 stores to the halt register, HALT=0 executes a plain EBREAK.
        .include "harness.inc"
_start:
        li      t0, CONSOLE
        li      t1, 'o'
        sb      t1, 0(t0)
        li      t1, 'k'
        sb      t1, 0(t0)
        li      t1, 10
        sb      t1, 0(t0)
        .if HALT
        li      t0, 0x20008
        li      t1, 1
        sw      t1, 0(t0)
        .else
        ebreak
        .endif
1:      j       1b
