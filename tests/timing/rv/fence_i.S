# FENCE.I on a core without Zifencei: PicoRV32 decodes MISC-MEM with funct3 = 000 (FENCE) only
# (picorv32.v instr_fence) and traps on FENCE.I (instr_trap, CATCH_ILLINSN), where Unicorn's RV32
# CPU would execute it. The fence.i (0x0000100f) sits at _start + 8 (0x00100088 on the
# ibex-simple map); Ibex (Zifencei) runs past it to EXIT 0.
        .include "harness.inc"
_start:
        nop
        nop
fence_i_insn:
        fence.i
        EXIT 0
        .data
exit_block: .word 0, 0
