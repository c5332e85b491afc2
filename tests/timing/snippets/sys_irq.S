@ A device on the bus raises IRQ2 (exception 18) while the core sleeps in WFI; the handler counts
@ in r4 and the run exits with r4 as its status (SYS_EXIT_EXTENDED). ENABLE=0 leaves IRQ2
@ disabled in the NVIC, so nothing can wake the WFI. Built with ASM ENABLE=<0|1>.
        .include "harness_irq.inc"
        .section .vectors, "a"
        .word   irq2_handler + 1        @ 18: IRQ2 (harness.inc's two words are vectors 16-17)
        .text
reset:
        movs    r4, #0
        .if ENABLE
        ldr     r0, =0xE000E100         @ NVIC_ISER0
        movs    r1, #4                  @ SETENA bit 2: IRQ2
        str     r1, [r0]
        .endif
        wfi                             @ sleeps until the device raises IRQ2
        ldr     r1, =exit_block         @ SYS_EXIT_EXTENDED {ADP_Stopped_ApplicationExit, r4}
        ldr     r2, =0x20026
        str     r2, [r1]
        str     r4, [r1, #4]
        movs    r0, #0x20
        bkpt    #0xAB
irq2_handler:
        adds    r4, r4, #1
        bx      lr
        .data
        .balign 4
exit_block: .word 0, 0
        .text
        .ltorg
