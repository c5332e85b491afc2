@ WFI with SysTick enabled but TICKINT clear: nothing can wake the core.
        .include "harness_irq.inc"
reset:
        ldr     r0, =0xE000E010
        ldr     r1, =1000
        str     r1, [r0, #4]
        movs    r1, #5                  @ ENABLE | CLKSOURCE, no TICKINT
        str     r1, [r0]
        nop
wfi_here:
        wfi
        EXIT_OK
        .ltorg
