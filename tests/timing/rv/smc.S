# Self-modifying code, as a flash driver does it: copy a function (li a0, 1; ret) to a RAM
# buffer, call it, patch its first instruction to li a0, 2 and call it again, then to li a0, 7 and
# call it a third time. Exit status = 100*first + 10*second + third: 127 when every patch is seen.
# fence.i after each store, as the RISC-V unprivileged ISA requires (Zifencei).
        .include "harness.inc"
_start:
        la      s0, buffer
        la      t1, rom_fn
        lw      t0, 0(t1)
        sw      t0, 0(s0)
        lw      t0, 4(t1)
        sw      t0, 4(s0)
        fence.i
        jalr    ra, 0(s0)
        mv      s1, a0              # 1
        li      t0, 0x00200513      # addi a0, x0, 2
        sw      t0, 0(s0)
        fence.i
        jalr    ra, 0(s0)
        mv      s2, a0              # 2
        li      t0, 0x00700513      # addi a0, x0, 7
        sw      t0, 0(s0)
        fence.i
        jalr    ra, 0(s0)
        mv      s3, a0              # 7
        li      t0, 100
        mul     s1, s1, t0
        li      t0, 10
        mul     s2, s2, t0
        add     s1, s1, s2
        add     s1, s1, s3
        la      a1, exit_block
        li      t0, 0x20026
        sw      t0, 0(a1)
        sw      s1, 4(a1)
        li      a0, 0x20
        SEMIHOST
rom_fn: li      a0, 1
        ret
        .data
        .balign 16
exit_block: .word 0, 0
        .balign 256
buffer: .word 0, 0
