# Instruction sequences for the RV32 core model unit tests. Each `.section .text.<name>` becomes
# rv_<name>.bin (objcopy -O binary --only-section) at build time; the tests load them by name.
# Assembled with riscv64-unknown-elf-as -march=rv32imc -misa-spec=2.2 -mabi=ilp32.
# `.option norvc` keeps an instruction 32 bits wide; `.option rvc` with c.* mnemonics gives the
# 16-bit forms. Relaxation is off so PC-relative offsets are resolved by the assembler.
# Expected cycles are derived by hand in test_rv32.cpp from the cited tables.
    .option norelax
    .option norvc

    .section .text.alu_run,"ax",@progbits
    add a0, a1, a2
    addi a3, a3, 1
    xor a4, a5, a6
    lui a7, 1

    .section .text.branch_loop,"ax",@progbits
1:  addi a0, a0, -1
    bnez a0, 1b

    .section .text.jal_call,"ax",@progbits
    jal ra, .

    .section .text.ret,"ax",@progbits
    ret

    .section .text.jalr_call,"ax",@progbits
    jalr ra, 0(a5)

    .section .text.load_store,"ax",@progbits
    lw a0, 0(a1)
    sw a2, 4(a3)

    .section .text.load_use,"ax",@progbits
    lw a0, 0(a1)
    addi a2, a0, 1

    .section .text.load_no_use,"ax",@progbits
    lw a0, 0(a1)
    addi a2, a3, 1

    .section .text.lb_use,"ax",@progbits
    lb a0, 0(a1)
    addi a2, a0, 1

    .section .text.lb_gap_use,"ax",@progbits
    lb a0, 0(a1)
    addi a3, a3, 1
    addi a2, a0, 1

    .section .text.mul_pair,"ax",@progbits
    mul a0, a1, a2
    mulh a3, a1, a2

    .section .text.mul_use,"ax",@progbits
    mul a0, a1, a2
    addi a3, a0, 1

    .section .text.div_pair,"ax",@progbits
    div a0, a1, a2
    remu a3, a4, a5

    .section .text.csr_reads,"ax",@progbits
    csrr a0, mcycle
    csrr a1, instret
    csrr zero, cycle
    csrr a2, mcycleh
    csrr a3, mscratch

    .section .text.shifts,"ax",@progbits
    slli a0, a0, 0
    slli a1, a1, 31
    srai a2, a2, 5
    sll a3, a4, a5

    .section .text.straddle,"ax",@progbits
    .option rvc
    c.addi a0, 1
    .option norvc
    add a1, a2, a3
    .option rvc
    c.addi a0, 1
    .option norvc
    add a4, a5, a6

    .section .text.aligned_pair,"ax",@progbits
    add a1, a2, a3
    add a4, a5, a6

    .section .text.compressed_pair,"ax",@progbits
    .option rvc
    c.add a1, a2
    c.add a4, a5
    .option norvc

    .section .text.semihost,"ax",@progbits
    slli x0, x0, 0x1f
    ebreak

    .section .text.ebreak_plain,"ax",@progbits
    ebreak

    .section .text.wfi,"ax",@progbits
    wfi

# One instruction of each kind, in the order of kRvClassList in test_rv32.cpp.
    .section .text.class_list,"ax",@progbits
    lui a0, 0x12345
    auipc a0, 0
    addi a0, a1, 5
    slti a0, a1, 1
    sltiu a0, a1, 1
    xori a0, a1, 1
    ori a0, a1, 1
    andi a0, a1, 1
    slli a0, a1, 3
    srli a0, a1, 3
    srai a0, a1, 3
    add a0, a1, a2
    sub a0, a1, a2
    slt a0, a1, a2
    sltu a0, a1, a2
    xor a0, a1, a2
    or a0, a1, a2
    and a0, a1, a2
    sll a0, a1, a2
    srl a0, a1, a2
    sra a0, a1, a2
    mul a0, a1, a2
    mulh a0, a1, a2
    mulhsu a0, a1, a2
    mulhu a0, a1, a2
    div a0, a1, a2
    divu a0, a1, a2
    rem a0, a1, a2
    remu a0, a1, a2
    lb a0, 0(a1)
    lh a0, 2(a1)
    lw a0, 4(a1)
    lbu a0, 1(a1)
    lhu a0, 2(a1)
    sb a0, 0(a1)
    sh a0, 2(a1)
    sw a0, 4(a1)
    beq a0, a1, .
    bne a0, a1, .
    blt a0, a1, .
    bge a0, a1, .
    bltu a0, a1, .
    bgeu a0, a1, .
    jal ra, .
    jal zero, .
    jalr ra, 0(a0)
    jalr zero, 0(ra)
    fence
    fence.i
    ecall
    ebreak
    csrr a0, mcycle
    csrw mscratch, a0
    csrrsi a0, mstatus, 8
    wfi
    mret
    .word 0x0000000b
    .option rvc
    c.addi4spn a0, sp, 16
    c.lw a0, 4(a1)
    c.sw a0, 4(a1)
    c.nop
    c.addi a0, 1
    c.jal .
    c.li a0, 5
    c.addi16sp sp, 32
    c.lui a0, 1
    c.srli a0, 2
    c.srai a0, 2
    c.andi a0, 3
    c.sub a0, a1
    c.xor a0, a1
    c.or a0, a1
    c.and a0, a1
    c.j .
    c.beqz a0, .
    c.bnez a0, .
    c.slli a0, 2
    c.lwsp a0, 8(sp)
    c.jr ra
    c.mv a0, a1
    c.ebreak
    c.jalr a0
    c.add a0, a1
    c.swsp a0, 8(sp)
    .half 0x0000
    .option norvc

# Every C instruction form (with negative and large immediates) and, in rvc_reference, its 32-bit
# expansion as written in the RVC chapter; the test checks expand_compressed against the assembler.
    .section .text.rvc_forms,"ax",@progbits
    .option rvc
    c.addi4spn s0, sp, 1020
    c.lw a5, 124(s1)
    c.sw a4, 64(a2)
    c.nop
    c.addi a0, -32
    c.jal .-2048
    c.li t0, 31
    c.addi16sp sp, -512
    c.lui a0, 0xfffe0
    c.lui s2, 31
    c.srli a5, 31
    c.srai s1, 17
    c.andi a3, -7
    c.sub s0, a5
    c.xor a1, a2
    c.or a3, a4
    c.and s1, s0
    c.j .+2046
    c.beqz a2, .-256
    c.bnez s1, .+254
    c.slli t6, 31
    c.lwsp ra, 252(sp)
    c.jr t0
    c.mv s11, t3
    c.ebreak
    c.jalr a7
    c.add gp, tp
    c.swsp t2, 252(sp)
    .option norvc

    .section .text.rvc_reference,"ax",@progbits
    addi s0, sp, 1020
    lw a5, 124(s1)
    sw a4, 64(a2)
    addi zero, zero, 0
    addi a0, a0, -32
    jal ra, .-2048
    addi t0, zero, 31
    addi sp, sp, -512
    lui a0, 0xfffe0
    lui s2, 31
    srli a5, a5, 31
    srai s1, s1, 17
    andi a3, a3, -7
    sub s0, s0, a5
    xor a1, a1, a2
    or a3, a3, a4
    and s1, s1, s0
    jal zero, .+2046
    beq a2, zero, .-256
    bne s1, zero, .+254
    slli t6, t6, 31
    lw ra, 252(sp)
    jalr zero, 0(t0)
    add s11, zero, t3
    ebreak
    jalr ra, 0(a7)
    add gp, gp, tp
    sw t2, 252(sp)

    # CV32E40P JALR operand hazard (jalr_rs1_extra_latency): the producer right before the jump,
    # a load two before the return, and a producer two instructions before.
    .section .text.alu_then_jalr,"ax",@progbits
    auipc ra, 0
    jalr ra, 16(ra)

    .section .text.load_x_ret,"ax",@progbits
    lw ra, 12(sp)
    addi sp, sp, 16
    ret

    .section .text.alu_xx_jalr,"ax",@progbits
    addi a5, a5, 4
    addi a0, a0, 1
    jalr ra, 0(a5)

    # CV32E40P (jalr_rd_is_rs1_extra): a call that links into its own base register, far from
    # the producer of that register
    .section .text.jalr_ra_ra,"ax",@progbits
    jalr ra, 0(ra)

    # CV32E40P (csr_stall_extra / csr_stall_list): two CSRs of the list and one that is not
    .section .text.csr_mix,"ax",@progbits
    csrr a0, mstatus
    csrr a1, mscratch
    csrr a2, mcycle

    .section .text.fence_pair,"ax",@progbits
    fence
    fence

    .section .text.fence_i_block,"ax",@progbits
    addi a0, a0, 1
    fence.i

    .section .text.counter_read_add,"ax",@progbits
    csrr a0, cycle
    add a1, a2, a3
