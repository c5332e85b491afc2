@ One faulting instruction; each fault is its own ELF built from this file with
@ -Wa,--defsym,FAULT=n,--defsym,TARGET=addr.
        .include "harness.inc"
reset:
        ldr     r0, =TARGET
        .global fault_insn
fault_insn:
        .if FAULT == 1
        ldr     r1, [r0]                @ read from an unmapped address
        .elseif FAULT == 2
        str     r1, [r0]                @ write to read-only flash
        .elseif FAULT == 3
        udf     #0                      @ undefined instruction
        .elseif FAULT == 4
        bx      r0                      @ jump to unmapped memory
        .elseif FAULT == 5
        adds    r1, #1                  @ endless loop that progresses (instruction limit)
        b       fault_insn
        .elseif FAULT == 6
        cpsid   i                       @ the HAL Error_Handler: interrupts masked, then
stuck6: b       stuck6                  @ a branch to itself (stop reason stuck)
        .elseif FAULT == 7
stuck7: b       stuck7                  @ an exit-less return loop, no exception source enabled
        .endif
        EXIT_OK
        .ltorg
