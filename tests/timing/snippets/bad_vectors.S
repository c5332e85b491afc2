@ A vector table whose initial SP does not point into SRAM.
        .syntax unified
        .thumb
        .section .vectors, "a"
        .word   0x10000000
        .word   reset + 1
        .text
        .thumb_func
        .global reset
reset:  b       reset
