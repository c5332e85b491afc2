@ Sleeps in WFI for PERIODS SysTick periods of RELOAD + 1 cycles (SysTick at the core clock,
@ TICKINT set, empty handler) inside region 1, then exits. Built with ASM PERIODS=<n> RELOAD=<r>.
        .include "harness_irq.inc"
reset:
        ldr     r0, =0xE000E010         @ SYST_CSR
        ldr     r1, =RELOAD
        str     r1, [r0, #4]            @ SYST_RVR = RELOAD
        movs    r1, #0
        str     r1, [r0, #8]            @ SYST_CVR = 0 (reloads on the next cycle)
        movs    r1, #7
        str     r1, [r0]                @ ENABLE | TICKINT | CLKSOURCE
        wfi                             @ sleep to the first wrap: the loop starts in phase
        movs    r4, #PERIODS
        ROI_BEGIN 1
loop:   wfi
        subs    r4, r4, #1
        bne     loop
        ROI_END 1
        EXIT_OK
systick_handler:
        bx      lr
        ROI_BLOCK 1
        .ltorg
