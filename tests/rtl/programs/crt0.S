/* Start-up of the RTL validation programs: stack, main, then the board's halt:
 * RT_HALT_ADDR defined: store 1 there (Ibex simple system's halt register); else EBREAK
 * (PicoRV32 traps, mcusim's picorv32-soc ends the run on it). .bss is zeroed by the loaders
 * (the ELF's p_memsz), .data is loaded in place. */
  .section .text.start, "ax", @progbits
  .globl _start
_start:
  la sp, __stack
  call main
#ifdef RT_HALT_ADDR
  li t0, RT_HALT_ADDR
  li t1, 1
  sw t1, 0(t0)
1:
  j 1b
#else
  ebreak
#endif
