# A compressed instruction on an rv32im core (issue 15 item 4): PicoRV32 built with
# COMPRESSED_ISA = 0 takes a 16-bit encoding as an illegal instruction, where Unicorn's RV32 CPU
# would execute it. The c.addi sits at _start + 8 (0x00100088 on the ibex-simple map).
        .include "harness.inc"
_start:
        nop
        nop
        .2byte  0x0505                  # c.addi a0, 1
        .2byte  0x0001                  # c.nop: back to a 4-byte boundary
        EXIT 0
        .data
exit_block: .word 0, 0
