@ Memory-system gates for a Cortex-M7 board with L1 caches and TCM (run on
@ tests/timing/boards/arm-m7-memory.toml). Expected stalls are derived by hand in
@ tests/timing/test_memory_system.cpp from that board's parameters.
        .include "harness.inc"
reset:
        ldr     r5, =0x20000000         @ DTCM (r0/r1 belong to the ROI markers): never cached, 0 wait states
        ldr     r6, =0x20010000         @ SRAM: cacheable through the L1 D-cache

        ROI_BEGIN 1                     @ two loads from DTCM
        ldr     r3, [r5]
        ldr     r4, [r5, #4]
        ROI_END 1

        ROI_BEGIN 2                     @ the same two loads from SRAM: one line fill, one hit
        ldr     r3, [r6]
        ldr     r4, [r6, #4]
        ROI_END 2

        ROI_BEGIN 3                     @ again: two hits
        ldr     r3, [r6]
        ldr     r4, [r6, #4]
        ROI_END 3

        ROI_BEGIN 4                     @ a store to a new SRAM line: write-allocate, no stall
        str     r3, [r6, #64]
        ROI_END 4

        EXIT_OK

        ROI_BLOCK 1
        ROI_BLOCK 2
        ROI_BLOCK 3
        ROI_BLOCK 4
        .ltorg
