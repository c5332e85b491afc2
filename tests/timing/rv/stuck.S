# A branch to itself nothing can end (issue 11 item 5): MIE=0 leaves mstatus.MIE clear as at
# reset (interrupts masked); MIE=1 sets it with no source enabled in mie.
        .include "harness.inc"
_start:
        nop
        .if MIE
        csrsi   mstatus, 8
        .endif
1:      j       1b
