@ A loadable segment outside every memory region of the board.
        .include "harness.inc"
reset:  EXIT_OK
        .ltorg
        .section .far, "a"
        .word   0x12345678
