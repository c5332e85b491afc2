@ One access that the core always faults when unaligned (ARMv7-M ARM A3.2.1), built per INSN with
@ -Wa,--defsym,INSN=n; INSN=0 is a plain unaligned LDR, which v7-M performs (no fault). INSN=7:
@ a plain unaligned LDR across a 1 KiB page (Unicorn reports it in parts), another plain unaligned
@ LDR and an aligned STM in one block: v7-M performs all three (no fault).
        .include "harness.inc"
reset:
        .if INSN == 7
        ldr     r0, =0x200003fe         @ the word at 0x200003fe..0x20000401 crosses 0x20000400
        ldr     r1, =0x20000102
        ldr     r4, =0x20000200
        .elseif INSN == 6
        ldr     r0, =0x20000101         @ odd: not halfword-aligned
        .else
        ldr     r0, =0x20000102         @ halfword- but not word-aligned
        .endif
        .global fault_insn
fault_insn:
        .if INSN == 0
        ldr     r2, [r0]
        .elseif INSN == 1
        ldrd    r2, r3, [r0]
        .elseif INSN == 2
        strd    r2, r3, [r0]
        .elseif INSN == 3
        ldm     r0, {r2, r3}
        .elseif INSN == 4
        stm     r0!, {r2, r3}
        .elseif INSN == 5
        ldrex   r2, [r0]
        .elseif INSN == 6
        ldrexh  r2, [r0]
        .elseif INSN == 7
        ldr     r2, [r0]
        ldr     r3, [r1]
        stm     r4!, {r2, r3}
        .endif
        EXIT_OK
        .ltorg
