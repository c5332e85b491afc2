@ Peripheral clock energy (docs/models/energy.md "Peripherals"): TIM5's bus clock is enabled
@ (RCC_APB1ENR1.TIM5EN, RM0432 6.4.19) for a counted loop and disabled again. The core stays at
@ the reset clock, MSI 4 MHz, with APB1 = HCLK / 1 (CFGR reset 0): one bus cycle per core cycle.
@ DWT->CYCCNT is read right after the enabling store and right before the disabling store; the
@ exit status is the difference.
        .include "harness.inc"
reset:
        CYCCNT_ON
        ldr     r6, =0xE0001004         @ DWT_CYCCNT
        ldr     r0, =0x40021058         @ RCC_APB1ENR1
        movs    r1, #8                  @ TIM5EN (bit 3)
        movs    r2, #0
        ldr     r3, =1000
        str     r1, [r0]                @ TIM5 clock on
        ldr     r4, [r6]
1:      subs    r3, r3, #1
        bne     1b
        ldr     r5, [r6]
        str     r2, [r0]                @ TIM5 clock off
        subs    r7, r5, r4
        EXIT_STATUS r7
