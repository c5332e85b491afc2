@ Instruction sequences for the Cortex-M0+ core model unit tests, assembled for ARMv6-M
@ (-mcpu=cortex-m0plus). Each `.section .text.<name>` becomes m0p_<name>.bin at build time.
@ Expected cycles are derived by hand in test_cortex_m0plus.cpp from cortex-m0plus.toml's sources.
    .syntax unified
    .thumb

    .section .text.alu_run,"ax",%progbits
    adds r0, r1, r2
    subs r3, r3, #1
    eors r4, r5
    lsls r6, r7, #2

    .section .text.ldr_ldr,"ax",%progbits
    ldr r0, [r1]
    ldr r1, [r2]

    .section .text.alu_then_ldr,"ax",%progbits
    adds r1, #4
    ldr r0, [r1]

    .section .text.stores,"ax",%progbits
    str r0, [r1, r2]
    strb r3, [r4, #1]

    .section .text.push5,"ax",%progbits
    push {r4-r7, lr}

    .section .text.pop_pc,"ax",%progbits
    pop {r4, pc}

    .section .text.cond_branch,"ax",%progbits
    cmp r0, r1
    bne .

    .section .text.bl,"ax",%progbits
    bl .

    .section .text.bx_lr,"ax",%progbits
    bx lr

    .section .text.mov_pc,"ax",%progbits
    mov pc, lr

    .section .text.muls,"ax",%progbits
    muls r0, r1, r0

    .section .text.barriers,"ax",%progbits
    dmb
    dsb
    isb
    mrs r0, primask
