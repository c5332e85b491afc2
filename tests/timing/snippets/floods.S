@ Firmware that asks for more host memory than a run may use (issue 11): FLOOD=1 writes 20 MiB
@ to the console (20 SYS_WRITEs of 1 MiB of flash, stdout handle 2); FLOOD=2 opens and closes
@ 5000 regions of interest with distinct ids 0..4999. Both then exit with status 0.
        .include "harness.inc"
reset:
        .if FLOOD == 1
        movs    r4, #20
1:      movs    r0, #0x05               @ SYS_WRITE
        adr     r1, write_block
        bkpt    #0xAB
        subs    r4, #1
        bne     1b
        .else
        movs    r4, #0                  @ region id
        ldr     r5, =5000
        ldr     r6, =0x20000000         @ {id, label = NULL} in SRAM
2:      str     r4, [r6]
        movs    r7, #0
        str     r7, [r6, #4]
        mov.w   r0, #0x100              @ ROI_BEGIN
        mov     r1, r6
        bkpt    #0xAB
        movw    r0, #0x101              @ ROI_END id
        mov     r1, r4
        bkpt    #0xAB
        adds    r4, #1
        cmp     r4, r5
        bne     2b
        .endif
        EXIT_OK
        .balign 4
write_block: .word 2, 0x08000000, 0x100000
        .ltorg
