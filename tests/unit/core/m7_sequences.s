@ Instruction sequences for the Cortex-M7 core model unit tests (assembled with -mcpu=cortex-m7
@ -mfpu=fpv5-d16). Each `.section .text.<name>` becomes m7_<name>.bin at build time; expected
@ cycles are derived by hand in test_cortex_m7.cpp from the sources cited in cortex-m7.toml.
    .syntax unified
    .thumb

    .section .text.alu4,"ax",%progbits
    adds r0, r1, r2
    subs r3, r4, #1
    eors r5, r6
    lsls r7, r2, #2

    .section .text.alu_dep,"ax",%progbits
    adds r0, r1, r2
    adds r3, r0, r4

    .section .text.ldr_alu,"ax",%progbits
    ldr r0, [r1]
    adds r2, r3, r4

    .section .text.ldr_str,"ax",%progbits
    ldr r0, [r1]
    str r2, [r3]

    .section .text.mac_alu,"ax",%progbits
    mla r0, r1, r2, r3
    adds r4, r5, r6

    .section .text.uxtb_uxtb,"ax",%progbits
    uxtb r0, r1
    uxtb r2, r3

    .section .text.uadd8_uadd8,"ax",%progbits
    uadd8 r0, r1, r2
    uadd8 r3, r4, r5

    .section .text.mul_mul,"ax",%progbits
    mul r0, r1, r2
    mul r3, r4, r5

    .section .text.alu_ldm_alu,"ax",%progbits
    adds r0, r1, r2
    ldm r4, {r5, r6, r7}
    adds r3, r1, r2

    .section .text.push5,"ax",%progbits
    push {r4-r7, lr}

    .section .text.load_use,"ax",%progbits
    ldr r0, [r1]
    adds r2, r0, r3

    .section .text.ldrb_use,"ax",%progbits
    ldrb r0, [r1]
    adds r2, r0, r3

    .section .text.load_addr,"ax",%progbits
    ldr r0, [r1]
    ldr r2, [r0]

    .section .text.alu_addr,"ax",%progbits
    adds r1, #4
    ldr r0, [r1]

    .section .text.load_shifted,"ax",%progbits
    ldr r0, [r1]
    add.w r2, r3, r0, lsl #2

    .section .text.mla_chain,"ax",%progbits
    mla r0, r1, r2, r0
    mla r0, r3, r4, r0
    mla r0, r5, r6, r0

    .section .text.mul_operand,"ax",%progbits
    mul r0, r1, r2
    mul r3, r0, r4

    .section .text.ldr_mul,"ax",%progbits
    ldr r0, [r1]
    mul r2, r0, r3

    .section .text.vadd_chain,"ax",%progbits
    vadd.f32 s0, s1, s2
    vadd.f32 s3, s0, s4
    vadd.f32 s5, s3, s6

    .section .text.vfma_acc,"ax",%progbits
    vfma.f32 s0, s1, s2
    vfma.f32 s0, s3, s4

    .section .text.vfma_mult,"ax",%progbits
    vfma.f32 s0, s1, s2
    vmul.f32 s3, s0, s4

    .section .text.vfma_vadd,"ax",%progbits
    vfma.f32 s0, s1, s2
    vadd.f32 s3, s4, s5

    .section .text.vdiv_int,"ax",%progbits
    vdiv.f32 s0, s1, s2
    adds r0, r1, r2
    adds r3, r4, r5

    .section .text.vadd_f64,"ax",%progbits
    vadd.f64 d0, d1, d2
    vadd.f64 d3, d0, d4

    .section .text.vmul_f64,"ax",%progbits
    vmul.f64 d0, d1, d2
    vmul.f64 d3, d4, d5

    .section .text.udiv_alu,"ax",%progbits
    udiv r0, r1, r2
    adds r3, r4, r5

    .section .text.ldr_bank_pair,"ax",%progbits
    ldr r0, [r1]
    ldr r2, [r3, #4]

    .section .text.ldr_bank_same,"ax",%progbits
    ldr r0, [r1]
    ldr r2, [r3, #8]

    .section .text.ldr_regoff_pair,"ax",%progbits
    ldr r0, [r1, r2]
    ldr r3, [r4, #4]

    .section .text.shifted_pair,"ax",%progbits
    add.w r0, r1, r2, lsl #2
    add.w r3, r4, r5, lsl #2

    .section .text.mul_str,"ax",%progbits
    mul r0, r1, r2
    str r3, [r4]

    .section .text.str_str,"ax",%progbits
    str r0, [r1]
    str r2, [r3, #4]

    .section .text.alu_store_same_cycle,"ax",%progbits
    adds r0, r1, r2
    str r0, [r3]

    .section .text.movw_movt,"ax",%progbits
    movw r0, #0x1234
    movt r0, #0x5678

    .section .text.loop_late_flags,"ax",%progbits
1:  subs r2, #1
    bne 1b

    .section .text.loop_early_flags,"ax",%progbits
1:  cmp r0, #0
    mul r1, r2, r3
    mul r4, r5, r6
    mul r7, r8, r9
    mul r10, r11, r12
    beq 1b

    .section .text.self_branch,"ax",%progbits
1:  b 1b

@ ---- predictor shape and dual issue across blocks ----------------------------------------------
    .section .text.rolled_loop,"ax",%progbits
1:  adds r0, r0, r1
    subs r2, #1
    bne 1b

    .section .text.unrolled_loop,"ax",%progbits
1:  subs r2, #1
    add.w r0, r0, r1
    add.w r0, r0, r1
    add.w r0, r0, r1
    add.w r0, r0, r1
    bne 1b

    .section .text.call,"ax",%progbits
    bl 1f
1:

    .section .text.ret,"ax",%progbits
    bx lr

    .section .text.pop_ret,"ax",%progbits
    pop {r4, pc}

    .section .text.tail_branch,"ax",%progbits
    cmp r0, r0
    add.w r3, r3, #1
    bne 1f
1:

    .section .text.tail_alu,"ax",%progbits
    add.w r3, r3, #1
    add.w r4, r4, #1
    add.w r6, r6, #1

    .section .text.head_three,"ax",%progbits
    add.w r5, r5, #1
    add.w r7, r7, #1
    add.w r8, r8, #1

    .section .text.head_reads_r6,"ax",%progbits
    add.w r5, r6, #1
    add.w r7, r7, #1
    add.w r8, r8, #1

    .section .text.narrow_branch,"ax",%progbits
    movs r1, #1
    movs r2, #2
    b.w 1f
1:

    .section .text.wide_branch,"ax",%progbits
    add.w r1, r1, #1
    add.w r2, r2, #1
    b.w 1f
1:
