/*
 * Startup code shared by the RV32 boards (no libc crt0: linked with -nostartfiles).
 * Every symbol it uses comes from the board's linker script (common/riscv/sections.ld):
 *   __stack           initial sp (top of the stack region, 16-byte aligned)
 *   __global_pointer$ gp (small-data base, for linker relaxation)
 *   _sidata           load address of .data (= _sdata when .data is loaded in place)
 *   _sdata, _edata    .data run-time bounds (4-byte aligned)
 *   _sbss, _ebss      .bss bounds (4-byte aligned)
 *
 * _start (section .text.start; the linker script puts it at the board's reset PC and makes it
 * the ELF entry): sets gp and sp, points mtvec at the trap vector table (unless
 * MCUSIM_RISCV_NO_MTVEC: PicoRV32 has no mtvec), copies .data, zeroes .bss, calls main and exits
 * through semihosting with main's return value (mcusim_exit, common/mcusim.c).
 *
 * Trap vector table (section .vectors, placed 256-byte aligned by the linker script, 32 entries of 4 bytes, uncompressed):
 * every entry jumps to __mcusim_trap, so it serves as mtvec in direct mode (all traps at the base)
 * and in vectored mode (Ibex and ESP32-C3 force vectored mode; interrupt n at base + 4n). On
 * Ibex simple_system the table sits at 0x00100000 and _start right after it, at the reset PC
 * 0x00100080, as in lowRISC's own crt0.
 * __mcusim_trap exits with code 128 + (mcause & 0x3F) for an exception (e.g. 130 illegal
 * instruction, 133 load access fault) and 192 + (mcause & 0x3F) for an interrupt; main's own
 * return codes stay below 128. It resets sp first: the trap may come from a stack overflow.
 */
  .option push
  .option norvc

  /* 256-byte alignment comes from the linker script (a .balign 256 here would make gas pad the
   * section to 256 bytes, moving Ibex's reset entry). */
  .section .vectors, "ax", @progbits
  .option push
  .option norelax
  .balign 4
  .globl __mcusim_vectors
__mcusim_vectors:
  .rept 32
  j __mcusim_trap
  .endr
  .size __mcusim_vectors, . - __mcusim_vectors
  .option pop

  .section .text.start, "ax", @progbits
  .balign 4
  .globl _start
  .type _start, @function
_start:
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  la sp, __stack
#ifndef MCUSIM_RISCV_NO_MTVEC
  la t0, __mcusim_vectors
  csrw mtvec, t0
#endif
  /* .data: copy from its load address unless it is loaded in place. */
  la a0, _sidata
  la a1, _sdata
  la a2, _edata
  beq a0, a1, 2f
  bgeu a1, a2, 2f
1:
  lw t0, 0(a0)
  sw t0, 0(a1)
  addi a0, a0, 4
  addi a1, a1, 4
  bltu a1, a2, 1b
2:
  /* .bss: zero. */
  la a1, _sbss
  la a2, _ebss
  bgeu a1, a2, 4f
3:
  sw zero, 0(a1)
  addi a1, a1, 4
  bltu a1, a2, 3b
4:
  li a0, 0                 /* argc */
  li a1, 0                 /* argv */
  call main
  call mcusim_exit         /* a0 = main's return value; does not return */
5:
  j 5b
  .size _start, . - _start

  .section .text.trap, "ax", @progbits
  .balign 4
  .globl __mcusim_trap
  .type __mcusim_trap, @function
__mcusim_trap:
  la sp, __stack
  csrr t0, mcause
  andi a0, t0, 0x3F
  addi a0, a0, 128
  bgez t0, 1f              /* mcause bit 31: interrupt */
  addi a0, a0, 64
1:
  call mcusim_exit
2:
  j 2b
  .size __mcusim_trap, . - __mcusim_trap

  .option pop
