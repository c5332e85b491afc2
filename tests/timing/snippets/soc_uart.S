@ SoC peripherals through the engine (nucleo-l4r5zi, STM32L4R5, RM0432): programs the PLL to
@ 80 MHz (HSI16 / 1 x 10 / 2), FLASH_ACR to 4 WS, LPUART1 at 115200 baud on PCLK1 = 80 MHz
@ (BRR = 256 x 80e6 / 115200 = 177778), drives PB7 high, sends "OK\n" polling TXE, then echoes
@ every received byte from the LPUART1 interrupt (IRQ 70) while the main loop sleeps in WFI.
        .syntax unified
        .thumb
        .section .vectors, "a"
        .word   0x200A0000
        .word   reset + 1
        .rept   84                      @ exceptions 2..85
        .word   0
        .endr
        .word   lpuart1_isr + 1         @ exception 86 = IRQ 70 (LPUART1)
        .text
        .thumb_func
        .global reset
reset:
        ldr     r4, =0x40021000         @ RCC
        ldr     r0, [r4, #0x00]
        orr     r0, r0, #(1 << 8)       @ HSION
        str     r0, [r4, #0x00]
1:      ldr     r0, [r4, #0x00]
        tst     r0, #(1 << 10)          @ HSIRDY
        beq     1b
        ldr     r0, =(2 | (10 << 8) | (1 << 24))   @ PLLSRC = HSI16, PLLM = /1, PLLN = 10, PLLR = /2, PLLREN
        str     r0, [r4, #0x0C]
        ldr     r0, [r4, #0x00]
        orr     r0, r0, #(1 << 24)      @ PLLON
        str     r0, [r4, #0x00]
2:      ldr     r0, [r4, #0x00]
        tst     r0, #(1 << 25)          @ PLLRDY
        beq     2b
        ldr     r1, =0x40022000         @ FLASH_ACR: ICEN | DCEN | PRFTEN | 4 WS
        ldr     r0, =0x704
        str     r0, [r1]
        movs    r0, #3                  @ SW = PLL
        str     r0, [r4, #0x08]
3:      ldr     r0, [r4, #0x08]
        and     r0, r0, #0xC
        cmp     r0, #0xC                @ SWS = PLL
        bne     3b
        @ GPIOB pin 7 output, high
        ldr     r1, =0x48000400
        ldr     r0, [r1, #0x00]
        bic     r0, r0, #(3 << 14)
        orr     r0, r0, #(1 << 14)
        str     r0, [r1, #0x00]
        movs    r0, #(1 << 7)
        str     r0, [r1, #0x18]         @ BSRR
        @ LPUART1
        ldr     r5, =0x40008000
        ldr     r0, =177778
        str     r0, [r5, #0x0C]         @ BRR
        movs    r0, #(1 | (1 << 2) | (1 << 3) | (1 << 5))   @ UE | RE | TE | RXNEIE
        str     r0, [r5, #0x00]
        ldr     r1, =0xE000E108         @ NVIC_ISER2: IRQ 70 = bit 6
        movs    r0, #(1 << 6)
        str     r0, [r1]
        adr     r6, msg
4:      ldrb    r0, [r6], #1
        cbz     r0, 6f
5:      ldr     r1, [r5, #0x1C]
        tst     r1, #(1 << 7)           @ TXE
        beq     5b
        str     r0, [r5, #0x28]         @ TDR
        b       4b
6:      wfi
        b       6b

        .thumb_func
lpuart1_isr:
        ldr     r1, =0x40008000
        ldr     r0, [r1, #0x24]         @ RDR (clears RXNE)
7:      ldr     r2, [r1, #0x1C]
        tst     r2, #(1 << 7)
        beq     7b
        str     r0, [r1, #0x28]
        bx      lr

        .balign 4
msg:    .asciz  "OK\n"
        .balign 4
        .ltorg
