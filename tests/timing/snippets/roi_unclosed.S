@ Opens the region of interest "name=inference" (ROI_BEGIN, op 0x100) and exits with status 0
@ without closing it (issue 11: `run` warns and exits 1; the region's counters are not a
@ measurement).
        .include "harness.inc"
reset:
        mov.w   r0, #0x100
        adr.w   r1, roi_block
        bkpt    #0xAB
        nop
        nop
        movs    r0, #0x20
        adr     r1, exit_block
        bkpt    #0xAB
        .balign 4
roi_block:  .word 7, label
exit_block: .word 0x20026, 0
label:  .asciz  "name=inference"
