@ Heap writes apart from the stack (issue 11 item 6): `end` (newlib's heap start) is set to
@ 0x20001000, far below the initial SP 0x200A0000; 64 word stores from it are 256 bytes of heap.
        .include "harness.inc"
        .global end
        .set    end, 0x20001000
reset:
        ldr     r0, =end
        movs    r1, #0
        movs    r2, #64
1:      str     r1, [r0], #4
        subs    r2, #1
        bne     1b
        push    {r0, r1}                @ 8 bytes of stack
        EXIT_OK
        .ltorg
