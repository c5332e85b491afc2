@ A HAL-style poll loop on RCC_CR.PLLRDY (STM32L4R5, RM0432 6.4.1): HSION, wait HSIRDY, configure
@ the PLL (HSI16 / 1 x 15 / 2), set PLLON and poll PLLRDY. DWT->CYCCNT is read right after the
@ PLLON store and right after the loop; the exit status is the cycle difference in bits 15:0 and
@ the number of PLLRDY reads in bits 31:16. The core stays at the reset clock, MSI 4 MHz.
        .include "harness.inc"
reset:
        CYCCNT_ON
        ldr     r3, =0xE0001004         @ DWT_CYCCNT
        ldr     r0, =0x40021000         @ RCC_CR
        ldr     r1, [r0]
        orr     r1, r1, #0x100          @ HSION
        str     r1, [r0]
1:      ldr     r1, [r0]
        tst     r1, #0x400              @ HSIRDY
        beq     1b
        ldr     r1, =0x01000F02         @ PLLCFGR: PLLSRC = HSI16, PLLM = /1, PLLN = 15, PLLREN
        str     r1, [r0, #0x0C]
        ldr     r2, =0x02000000         @ PLLRDY
        movs    r7, #0
        ldr     r1, [r0]
        orr     r1, r1, #0x01000000     @ PLLON
        str     r1, [r0]
        ldr     r4, [r3]
2:      adds    r7, r7, #1
        ldr     r1, [r0]
        tst     r1, r2
        beq     2b
        ldr     r5, [r3]
        subs    r6, r5, r4
        lsls    r7, r7, #16
        orrs    r6, r6, r7
        EXIT_STATUS r6
