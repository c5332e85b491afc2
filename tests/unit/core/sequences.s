@ Instruction sequences for the Cortex-M4 core model unit tests. Each `.section .text.<name>`
@ becomes <name>.bin (objcopy -O binary --only-section) at build time; the test loads it by name.
@ Expected cycles are derived by hand in test_cortex_m4.cpp from the cited tables.
    .syntax unified
    .thumb

    .section .text.alu_run,"ax",%progbits
    adds r0, r1, r2
    subs r3, r3, #1
    eors r4, r5
    lsls r6, r7, #2

    .section .text.mul_run,"ax",%progbits
    mul r0, r1, r2
    mla r0, r1, r2, r3
    smull r4, r5, r2, r3
    smlad r6, r1, r2, r3

    .section .text.ldr_ldr,"ax",%progbits
    ldr r0, [r1]
    ldr r1, [r2]

    .section .text.ldr_ldr_ldr,"ax",%progbits
    ldr r0, [r1, r5]
    ldr r1, [r2]
    ldr r2, [r3, #4]

    .section .text.ldr_ldr_dep,"ax",%progbits
    ldr r0, [r1]
    ldr r2, [r0]

    .section .text.ldr_wb_same_base,"ax",%progbits
    ldr r0, [r1], #4
    ldr r2, [r1]

    .section .text.ldr_wb_alternate_base,"ax",%progbits
    ldr r0, [r1], #4
    ldr r2, [r3], #4
    ldr r4, [r1], #4
    ldr r5, [r3], #4

    @ X-CUBE-AI's KWS 1x1-convolution inner group (KWS01-Performance.bin, 0x0800fe08, 16 MACs)
    .section .text.kws_pw_group,"ax",%progbits
    ldr.w r5, [r9, #64]
    ldr.w r0, [r6], #4
    ldr.w r1, [r6], #4
    ldr.w r2, [r6], #4
    ldr.w r3, [r6], #4
    sxtb16 r4, r5
    sxtb16 r5, r5, ror #8
    smlad sl, r4, r0, sl
    smlad fp, r4, r2, fp
    smlad sl, r5, r1, sl
    smlad fp, r5, r3, fp
    ldr.w r4, [r9], #4
    sxtb16 r5, r4
    sxtb16 r4, r4, ror #8
    smlad ip, r5, r0, ip
    smlad lr, r5, r2, lr
    smlad ip, r4, r1, ip
    smlad lr, r4, r3, lr

    @ Cortex-M4 TRM DDI 0439D Table 3-1 note d / the TRM's IT example
    .section .text.it_after_narrow,"ax",%progbits
    movs r0, r1
    it mi
    rsbmi r0, r0, #0

    .section .text.it_after_wide,"ax",%progbits
    movs.w r0, r1
    it mi
    rsbmi r0, r0, #0

    .section .text.ldr_str,"ax",%progbits
    ldr r0, [r1, r2]
    str r0, [r3, #20]

    .section .text.ldr_str_regoff,"ax",%progbits
    ldr r0, [r1]
    str r2, [r3, r4]

    .section .text.str_str,"ax",%progbits
    str r0, [r1]
    str r2, [r3, #4]

    .section .text.str_ldr,"ax",%progbits
    str r0, [r1]
    ldr r2, [r3]

    .section .text.agu_stall,"ax",%progbits
    add r1, r1, #4
    ldr r0, [r1]

    .section .text.agu_none,"ax",%progbits
    add r2, r2, #4
    ldr r0, [r1]

    .section .text.agu_push,"ax",%progbits
    sub sp, sp, #8
    push {r4, lr}

    .section .text.ldrd,"ax",%progbits
    ldrd r0, r1, [r2]

    .section .text.ldr_ldrd,"ax",%progbits
    ldr r4, [r5]
    ldrd r0, r1, [r2]

    .section .text.push5,"ax",%progbits
    push {r4-r7, lr}

    .section .text.pop_pc,"ax",%progbits
    pop {r4, pc}

    .section .text.ldm_str,"ax",%progbits
    ldm r0!, {r1, r2, r3}
    str r4, [r5]

    .section .text.cond_branch,"ax",%progbits
    cmp r0, #0
    bne .

    .section .text.bl,"ax",%progbits
    bl .

    .section .text.bx_lr,"ax",%progbits
    bx lr

    .section .text.mov_pc,"ax",%progbits
    mov pc, lr

    .section .text.ldr_pc,"ax",%progbits
    ldr pc, [sp], #4

    .section .text.tbb,"ax",%progbits
    tbb [pc, r0]

    .section .text.sdiv,"ax",%progbits
    movs r1, #100
    sdiv r0, r1, r2
    udiv r3, r4, r5

    .section .text.it_block,"ax",%progbits
    ite eq
    moveq r0, #1
    movne r0, #2

    .section .text.semihost,"ax",%progbits
    movs r0, #4
    bkpt #0xab

    .section .text.bkpt1,"ax",%progbits
    bkpt #1

    .section .text.wfi,"ax",%progbits
    wfi

    .section .text.offsets,"ax",%progbits
    ldr r0, [r1]
    ldr r2, [r3]
    adds r4, #1

    .section .text.vadd,"ax",%progbits
    vadd.f32 s0, s1, s2

    .section .text.vmla,"ax",%progbits
    vmla.f32 s0, s1, s2

    .section .text.vdiv,"ax",%progbits
    vdiv.f32 s0, s1, s2

    .section .text.vldr_s,"ax",%progbits
    vldr s0, [r0, #4]

    .section .text.vldr_d,"ax",%progbits
    vldr d0, [r0]

    .section .text.vpush_d,"ax",%progbits
    vpush {d8-d9}

    .section .text.vmov_core,"ax",%progbits
    vmov r0, s0

@ One instruction of each kind, in the order of kClassList in test_cortex_m4.cpp.
    .section .text.class_list,"ax",%progbits
    adds r0, r1, r2
    add.w r0, r1, r2, lsl #3
    movw r0, #0x1234
    movt r0, #0x5678
    cmp r0, #4
    ubfx r0, r1, #2, #5
    clz r0, r1
    rev r0, r1
    ssat r0, #8, r1
    sxtb r0, r1
    mov pc, lr
    mul r0, r1, r2
    mla r0, r1, r2, r3
    mls r0, r1, r2, r3
    smull r0, r1, r2, r3
    umlal r0, r1, r2, r3
    umaal r0, r1, r2, r3
    smlalbb r0, r1, r2, r3
    sdiv r0, r1, r2
    udiv r0, r1, r2
    smlad r0, r1, r2, r3
    smulbb r0, r1, r2
    sxtb16 r0, r1
    uadd8 r0, r1, r2
    qadd r0, r1, r2
    sel r0, r1, r2
    pkhbt r0, r1, r2
    usad8 r0, r1, r2
    sxtab r0, r1, r2
    ldr r0, [r1]
    ldrb r0, [r1, #1]
    ldrsh r0, [r1, r2]
    ldrex r0, [r1]
    ldr r0, [r1], #4
    str r0, [r1]
    strh r0, [r1, #2]
    strex r0, r1, [r2]
    ldrd r0, r1, [r2, #8]
    strd r0, r1, [r2, #8]
    ldm r0!, {r1, r2}
    pop {r4, pc}
    stmdb sp!, {r4, r5}
    push {r4, lr}
    b .
    beq .
    cbz r0, 1f
    bl .
1:  bx lr
    blx r3
    tbb [pc, r0]
    tbh [pc, r0, lsl #1]
    it eq
    moveq r0, #1
    nop
    yield
    pld [r0]
    dmb
    dsb
    isb
    mrs r0, primask
    msr basepri, r0
    cpsid i
    svc #0
    sev
    wfe
    wfi
    bkpt #0xab
    bkpt #1
    vadd.f32 s0, s1, s2
    vsub.f32 s0, s1, s2
    vmul.f32 s0, s1, s2
    vnmul.f32 s0, s1, s2
    vabs.f32 s0, s1
    vneg.f32 s0, s1
    vcmp.f32 s0, s1
    vcvt.s32.f32 s0, s1
    vmov.f32 s0, #1.0
    vmov.f32 s0, s1
    vmla.f32 s0, s1, s2
    vfma.f32 s0, s1, s2
    vnmls.f32 s0, s1, s2
    vdiv.f32 s0, s1, s2
    vsqrt.f32 s0, s1
    vldr s0, [r0, #4]
    vldr d0, [r0]
    vstr s0, [r0]
    vstr d1, [r0, #8]
    vldmia r0!, {s0-s3}
    vpop {d8-d9}
    vstmdb sp!, {s16-s17}
    vpush {d8}
    vmov r0, s0
    vmov s0, r0
    vmov r0, r1, d0
    vmrs APSR_nzcv, fpscr
    vmsr fpscr, r0
    udf #0

@ Operand sets for the Thumb decoder's register/flag fields (test_thumb_decoder.cpp).
    .section .text.dec_operands,"ax",%progbits
    ldr r0, [r1, r2]
    str r3, [r4, #4]
    adds r5, r6, r7
    add.w r0, r1, r2, lsl #2
    pop {r4, pc}
    vadd.f32 s0, s1, s2
    vldr d1, [r8]
    smlad r9, r10, r11, r12
    ldm r1!, {r2, r3}
    beq .

@ --- Cortex-M3 (test_cortex_m3.cpp) -------------------------------------------------------
    .section .text.m3_mla,"ax",%progbits
    mul r0, r1, r2
    mla r0, r1, r2, r3
    mls r4, r1, r2, r3

    .section .text.m3_umull,"ax",%progbits
    umull r0, r1, r2, r3

    .section .text.m3_smlal,"ax",%progbits
    smlal r4, r5, r6, r7

    .section .text.m3_ldr_post_ldr,"ax",%progbits
    ldr r0, [r1], #4
    ldr r2, [r3]

    .section .text.m3_ldr_ldr_post,"ax",%progbits
    ldr r0, [r1]
    ldr r2, [r3, #4]!

@ --- Cortex-M33 (test_cortex_m33.cpp); `.n` marks the 16-bit encodings that matter ----------
    .section .text.m33_load_use,"ax",%progbits
    ldr.n r0, [r1]
    adds.n r2, r0, #1

    .section .text.m33_loads_independent,"ax",%progbits
    ldr.n r0, [r1]
    ldr.n r2, [r3]
    adds.n r4, r5, #1

    .section .text.m33_load_address,"ax",%progbits
    ldr.n r0, [r1]
    ldr.n r2, [r0]

    .section .text.m33_mac_chain,"ax",%progbits
    mla r0, r1, r2, r0
    mla r0, r3, r4, r0
    mla r0, r5, r6, r0

    .section .text.m33_mac_multiplicand,"ax",%progbits
    mla r0, r1, r2, r0
    mla r3, r0, r4, r3

    .section .text.m33_load_to_acc,"ax",%progbits
    ldr.n r0, [r1]
    mla r2, r3, r4, r0

    .section .text.m33_load_to_store,"ax",%progbits
    ldr.n r0, [r1]
    str.n r0, [r2]

    .section .text.m33_shifted_operand,"ax",%progbits
    add.w r0, r1, r2, lsl #2
    adds.n r3, r0, #1

    .section .text.m33_shifted_const,"ax",%progbits
    add.w r0, r1, #0x1fc0
    adds.n r3, r0, #1

    .section .text.m33_shifted_const_s,"ax",%progbits
    adds.w r0, r1, #0x1fc0

    .section .text.m33_muls,"ax",%progbits
    muls.n r0, r1, r0

    .section .text.m33_pair_nop,"ax",%progbits
    adds.n r0, #1
    nop.n

    .section .text.m33_no_pair_alu,"ax",%progbits
    adds.n r0, #1
    adds.n r1, #1

    .section .text.m33_no_pair_ldr_alu,"ax",%progbits
    ldr.n r0, [r1]
    adds.n r2, #1

    .section .text.m33_branch_pair,"ax",%progbits
    add.n r0, r1
    bne.n .

    .section .text.m33_branch_pair_flags,"ax",%progbits
    subs.n r7, #1
    bne.n .

    .section .text.m33_branch_unpaired,"ax",%progbits
    add.w r0, r0, #1
    bne.n .

    .section .text.m33_it_pair,"ax",%progbits
    cmp.n r0, r1
    it eq
    moveq.n r2, r3

    .section .text.m33_ldm_ldrd,"ax",%progbits
    ldm r0!, {r1, r2, r3}
    ldrd r4, r5, [r6]

    .section .text.m33_vfma_acc,"ax",%progbits
    vfma.f32 s0, s1, s2
    vfma.f32 s0, s3, s4

    .section .text.m33_vfma_mul,"ax",%progbits
    vfma.f32 s0, s1, s2
    vfma.f32 s3, s0, s4

    .section .text.m33_vfma_block,"ax",%progbits
    vfma.f32 s0, s1, s2
    vadd.f32 s5, s6, s7

    .section .text.m33_vadd_dep,"ax",%progbits
    vadd.f32 s0, s1, s2
    vadd.f32 s3, s0, s4

@ --- Thumb-2 instructions an ARMv6-M core does not have (test_cortex_m0plus.cpp) ------------
    .section .text.v7m_on_v6m,"ax",%progbits
    add.w r0, r1, r2, lsl #2
    udiv r0, r1, r2
    cbz r0, 1f
    adds r3, #1
    adds r3, #1
1:  mov r0, r1
