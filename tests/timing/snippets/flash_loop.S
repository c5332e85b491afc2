@ An 8-instruction loop in two 64-bit flash read units, run r0 times. Used to check flash wait
@ states with and without the ART (tests/timing/test_flash.cpp).
        .include "harness.inc"
reset:
        ROI_BEGIN 1                     @ (the marker returns in r0: load the count after it)
        ldr     r0, =ITERATIONS
        b       loop
        .balign 8
loop:   adds    r2, r2, #1              @ unit A: 4 x 16-bit
        adds    r3, r3, #1
        adds    r4, r4, #1
        adds    r5, r5, #1
        adds    r6, r6, #1              @ unit B: 4 x 16-bit
        adds    r7, r7, #1
        subs    r0, r0, #1
        bne     loop
        ROI_END 1
        EXIT_OK
        ROI_BLOCK 1
        .ltorg
