@ UDIV/SDIV with operands chosen for the divider's shortest and longest latency.
@ (Operands avoid r0/r1: the region markers use them.)
        .include "harness.inc"
reset:
        ldr     r6, =0x7fffffff
        movs    r7, #1
        ldr     r2, =1
        ldr     r3, =0x7fffffff
        ROI_BEGIN 1                     @ UDIV 0x7fffffff / 1
        udiv    r4, r6, r7
        ROI_END 1
        ROI_BEGIN 2                     @ UDIV 1 / 0x7fffffff
        udiv    r4, r2, r3
        ROI_END 2
        ROI_BEGIN 3                     @ SDIV by zero
        movs    r5, #0
        sdiv    r4, r6, r5
        ROI_END 3
        EXIT_OK
        ROI_BLOCK 1
        ROI_BLOCK 2
        ROI_BLOCK 3
        .ltorg
