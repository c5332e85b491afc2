@ APB access time (Peripheral::access_wait_states): ten reads of TIM5_CNT (TIM5 on APB1, RM0432
@ 6.4.19) in a counted loop, timed by DWT->CYCCNT, first with APB1 = HCLK / 16 (RCC_CFGR.PPRE1 =
@ 0b111, RM0432 6.4.3), then with APB1 = HCLK / 1 (PPRE1 = 0). The core stays at the reset clock,
@ MSI 4 MHz. Exit status: (first difference) | (second difference << 16).
        .include "harness.inc"
@ TIME_READS dst: ten reads of TIM5_CNT in a counted loop; dst = the CYCCNT difference around
@ it (r6 = &DWT_CYCCNT). Clobbers r0, r3-r5.
        .macro  TIME_READS dst
        ldr     r0, =0x40000C24         @ TIM5_CNT
        movs    r3, #10
        ldr     r4, [r6]
1:      subs    r3, r3, #1
        ldr     r5, [r0]
        bne     1b
        ldr     r5, [r6]
        subs    \dst, r5, r4
        .endm
reset:
        CYCCNT_ON
        ldr     r6, =0xE0001004         @ DWT_CYCCNT
        ldr     r0, =0x40021058         @ RCC_APB1ENR1
        movs    r1, #8                  @ TIM5EN (bit 3)
        str     r1, [r0]
        ldr     r0, =0x40021008         @ RCC_CFGR
        movs    r1, #7
        lsls    r1, r1, #8              @ PPRE1 = 0b111: HCLK / 16
        str     r1, [r0]
        TIME_READS r7
        ldr     r0, =0x40021008         @ RCC_CFGR
        movs    r1, #0                  @ PPRE1 = 0: HCLK / 1
        str     r1, [r0]
        TIME_READS r5
        lsls    r5, r5, #16
        orrs    r7, r7, r5
        EXIT_STATUS r7
