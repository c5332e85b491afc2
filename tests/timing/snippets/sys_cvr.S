@ Reads SYST_CVR 1 + SKIP cycles after enabling SysTick (no interrupt) with CVR cleared and
@ exits with the value read as its status.
        .include "harness_irq.inc"
reset:
        ldr     r0, =0xE000E010         @ SYST_CSR
        ldr     r1, =RELOAD
        str     r1, [r0, #4]            @ SYST_RVR = RELOAD
        movs    r1, #0
        str     r1, [r0, #8]            @ SYST_CVR = 0
        movs    r1, #5                  @ ENABLE | CLKSOURCE (no TICKINT)
        str     r1, [r0]                @ counting starts at this store's cycle
        .rept   SKIP
        nop
        .endr
        ldr     r6, [r0, #8]            @ SYST_CVR
        EXIT_STATUS r6
