@ Main and process stacks measured apart (issue 11 item 6): 8 bytes pushed on the main stack
@ (MSP, initial SP 0x200A0000), then Thread mode on a process stack whose top is 0x20010000
@ (MSR PSP; MSR CONTROL with SPSEL = 1, ARMv7-M ARM B1.4.4): PUSH of 4 registers (16 bytes) and
@ a 32-byte frame whose lowest word is written: the process stack's lowest write is 48 bytes
@ below its top. Back on the main stack (CONTROL = 0) before the exit.
        .include "harness.inc"
reset:
        push    {r0, r1}                @ 8 bytes of main stack
        ldr     r0, =0x20010000
        msr     psp, r0
        movs    r0, #2
        msr     control, r0             @ SPSEL = 1: SP is PSP from here (QEMU ends the block)
        isb
        push    {r4-r7}                 @ PSP - 16
        sub     sp, #32
        str     r0, [sp]                @ PSP - 48: the lowest process-stack write
        add     sp, #32
        pop     {r4-r7}
        movs    r0, #0
        msr     control, r0             @ back on the main stack
        isb
        EXIT_OK
        .ltorg
