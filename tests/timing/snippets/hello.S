@ Prints a line through SYS_WRITE0 and exits with status 3 through SYS_EXIT_EXTENDED.
        .include "harness.inc"
reset:
        movs    r0, #0x04
        adr     r1, msg
        bkpt    #0xAB
        movs    r0, #0x20
        adr     r1, exit_block
        bkpt    #0xAB
        .balign 4
exit_block: .word 0x20026, 3
msg:    .asciz  "hello from the firmware\n"
