@ Measures SVC entry + return with DWT->CYCCNT and exits with the difference of two reads around
@ the SVC (status 9999 if S0 was not preserved across the exception). Options (ASM defsyms):
@   FP=1         an FP instruction (VMOV s0, r7) runs before the SVC: CONTROL.FPCA = 1
@   LSPEN=0      FPCCR.LSPEN cleared first (lazy stacking off: the FP state is pushed on entry)
@   HANDLER_FP=1 the handler executes VMOV s0, r0 (clobbers S0; a lazy save is triggered)
@   TAIL=1       the handler pends PendSV (ICSR.PENDSVSET, same priority): tail-chained
        .include "harness_irq.inc"
        .ifndef FP
        .set FP, 0
        .endif
        .ifndef LSPEN
        .set LSPEN, 1
        .endif
        .ifndef HANDLER_FP
        .set HANDLER_FP, 0
        .endif
        .ifndef TAIL
        .set TAIL, 0
        .endif
@ Constants are built with MOVW/MOVT (no literal loads: the block that reads t0 makes no flash
@ data access, whose wait states would not shift the CYCCNT read).
        .macro  LDC reg, value
        movw    \reg, #:lower16:\value
        movt    \reg, #:upper16:\value
        .endm
reset:
        LDC     r0, 0xE000EDFC          @ DEMCR.TRCENA
        mov.w   r1, #0x01000000
        str     r1, [r0]
        LDC     r0, 0xE0001000          @ DWT_CTRL.CYCCNTENA
        movs    r1, #1
        str     r1, [r0]
        .if LSPEN == 0
        LDC     r0, 0xE000EF34          @ FPCCR = ASPEN only
        mov.w   r1, #0x80000000
        str     r1, [r0]
        .endif
        LDC     r8, 0xE000ED04          @ ICSR (used by the TAIL handler)
        mov.w   r9, #0x10000000         @ PENDSVSET
        movs    r7, #123
        .if FP
        vmov    s0, r7                  @ FP context active
        .endif
        LDC     r3, 0xE0001004          @ DWT_CYCCNT
        nop                             @ no address-generation stall on the next load
        ldr     r4, [r3]                @ t0 (LDR 2, not after a load: no pipelining)
        svc     #0
        ldr     r5, [r3]                @ t1: first instruction after the return
        subs    r6, r5, r4
        .if FP
        vmov    r7, s0
        cmp     r7, #123
        beq     1f
        movw    r6, #9999
1:
        .endif
        ldr     r1, =exit_block         @ SYS_EXIT_EXTENDED {ADP_Stopped_ApplicationExit, r6}
        ldr     r2, =0x20026
        str     r2, [r1]
        str     r6, [r1, #4]
        movs    r0, #0x20
        bkpt    #0xAB
svc_handler:
        .if HANDLER_FP
        vmov    s0, r0
        .endif
        .if TAIL
        str     r9, [r8]                @ ICSR.PENDSVSET
        .endif
        bx      lr
pendsv_handler:
        bx      lr
        .data
        .balign 4
exit_block: .word 0, 0
        .text
        .ltorg
