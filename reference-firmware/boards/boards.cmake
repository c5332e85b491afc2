# The boards the reference firmware is built for. Read by reference-firmware/CMakeLists.txt in
# both roles: the host build makes one cross sub-build per board, the sub-build looks its board up.
#
# mcusim_firmware_toolchain(<toolchain> COMPILER <program>)
#   <toolchain>: cmake/<toolchain>.cmake; <program>: its C compiler (the host build skips, with a
#   warning, the boards whose compiler is not installed: scripts/install-deps.sh installs them).
#
# mcusim_firmware_board(<board> TOOLCHAIN <toolchain> ARCH_FLAGS <flags>
#                       STARTUP <source>... [DEFINES <def>...] [LINK_OPTIONS <opt>...]
#                       [OVERFLOWING_TASKS <task>...] [BRINGUP <soc source>]
#                       [CONSOLE_IO <def>...] [ELFS <elf>...])
#   <board>      the board name, as in boards/<board>.toml of the simulator; ELFs go to
#                ${MCUSIM_FIRMWARE_DIR}/<board>/; linker script: boards/<board>/linker.ld
#   ARCH_FLAGS   core flags (compile, assemble and link; also select the libgcc/picolibc multilib)
#   STARTUP      startup sources (relative to reference-firmware/), linked into every ELF
#   DEFINES      compile definitions for every source of this board
#   LINK_OPTIONS extra link options for every ELF of this board
#   OVERFLOWING_TASKS tasks known not to fit the board's RAM: linked with -Wl,--noinhibit-exec, so
#                the ELF exists (the linker still prints the overflow) and the simulator refuses
#                to load it, naming the segment that does not fit. Their build-time size report
#                says "DOES NOT FIT".
#   BRINGUP      the SoC file of the HAL-style bring-up firmware (bringup/soc_<part>.c): builds
#                <board>/bringup.elf and bringup-alt.elf (another PLL frequency), each also as .bin
#                and .hex (objcopy)
#   CONSOLE_IO   RV32 boards whose console/halt registers an RTL testbench implements: the
#                definitions of the console transport (common/mcusim.h: MCUSIM_IO_CONSOLE=<addr>,
#                [MCUSIM_IO_HALT=<addr>], [MCUSIM_IO_MCOUNTERS]); builds ad-console.elf, the AD
#                task with the reference kernels writing through the console register instead of
#                semihosting (tests/rtl/configs.toml runs it on the RTL, docs/validation.md)
#   ELFS         build only these ELFs of the board (target names, e.g. kws-reference), not every
#                task, kernel library and calib: for a bench board such as mps2-an386, which is not
#                one of the simulator's shipped boards (its board file is bench/mps2-an386.toml)
#
# Adding a board: write boards/<board>/linker.ld (for RV32: MEMORY, region aliases, stack size and
# the reset code's place, then INCLUDE sections.ld) and add one mcusim_firmware_board() line.

function(mcusim_firmware_toolchain name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "COMPILER" "")
  set(MCUSIM_TOOLCHAIN_${name}_COMPILER ${arg_COMPILER} PARENT_SCOPE)
endfunction()

function(mcusim_firmware_board name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "TOOLCHAIN;ARCH_FLAGS"
                        "STARTUP;DEFINES;LINK_OPTIONS;OVERFLOWING_TASKS;BRINGUP;CONSOLE_IO;ELFS")
  foreach(key TOOLCHAIN ARCH_FLAGS STARTUP)
    if(NOT arg_${key})
      message(FATAL_ERROR "mcusim_firmware_board(${name}): ${key} missing")
    endif()
  endforeach()
  foreach(key TOOLCHAIN ARCH_FLAGS STARTUP DEFINES LINK_OPTIONS OVERFLOWING_TASKS BRINGUP CONSOLE_IO ELFS)
    set(MCUSIM_BOARD_${name}_${key} "${arg_${key}}" PARENT_SCOPE)
  endforeach()
  set(MCUSIM_FIRMWARE_ALL_BOARDS ${MCUSIM_FIRMWARE_ALL_BOARDS} ${name} PARENT_SCOPE)
endfunction()

set(MCUSIM_FIRMWARE_ALL_BOARDS "")

mcusim_firmware_toolchain(arm-none-eabi COMPILER arm-none-eabi-gcc)
mcusim_firmware_toolchain(riscv32-unknown-elf COMPILER riscv64-unknown-elf-gcc)

set(_rv32imc "-march=rv32imc -misa-spec=2.2 -mabi=ilp32")
set(_rv32_startup common/riscv/crt0.S)

# ST NUCLEO-L4R5ZI (STM32L4R5ZI, Cortex-M4F): flash 0x08000000 2 MiB, SRAM 0x20000000 640 KiB.
mcusim_firmware_board(nucleo-l4r5zi TOOLCHAIN arm-none-eabi
  ARCH_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"
  STARTUP common/arm/startup.c BRINGUP bringup/soc_stm32l4r5.c)

# All Cortex-M boards share common/arm/startup.c (FPU enabled only where __ARM_FP).
# Core flags: /work/shared/reference/unicorn-notes.md ("Toolchains"). M0+ and M3 lack the DSP
# extension: the optimized kernels build with the C emulation of kernels/optimized/arm_simd.h.
set(_arm_startup common/arm/startup.c)

# ST NUCLEO-G0B1RE (STM32G0B1RE, Cortex-M0+ 64 MHz): flash 0x08000000 512 KiB, SRAM 0x20000000 144 KiB.
mcusim_firmware_board(nucleo-g0b1re TOOLCHAIN arm-none-eabi
  ARCH_FLAGS "-mcpu=cortex-m0plus -mthumb -mfloat-abi=soft"
  STARTUP ${_arm_startup} BRINGUP bringup/soc_stm32g0b1.c)

# ST NUCLEO-F446RE (STM32F446RE, Cortex-M4F 180 MHz): flash 0x08000000 512 KiB, SRAM 0x20000000 128 KiB.
mcusim_firmware_board(nucleo-f446re TOOLCHAIN arm-none-eabi
  ARCH_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"
  STARTUP ${_arm_startup} BRINGUP bringup/soc_stm32f446.c)

# ST STM32F746G-DISCO (STM32F746NG, Cortex-M7 216 MHz, single-precision FPv5): flash (AXIM)
# 0x08000000 1 MiB; DTCM + SRAM1 + SRAM2 as one 320 KiB region at 0x20000000 (CubeIDE layout).
mcusim_firmware_board(stm32f746g-disco TOOLCHAIN arm-none-eabi
  ARCH_FLAGS "-mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-sp-d16"
  STARTUP ${_arm_startup} BRINGUP bringup/soc_stm32f746.c)

# ST NUCLEO-H7A3ZI-Q (STM32H7A3ZI, Cortex-M7 280 MHz, double-precision FPv5): flash (AXI)
# 0x08000000 2 MiB; data in AXI SRAM 0x24000000 1 MiB (CubeIDE layout).
mcusim_firmware_board(nucleo-h7a3zi-q TOOLCHAIN arm-none-eabi
  ARCH_FLAGS "-mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-d16"
  STARTUP ${_arm_startup} BRINGUP bringup/soc_stm32h7a3.c)

# ST NUCLEO-U575ZI-Q (STM32U575ZI, Cortex-M33 160 MHz, TrustZone off): flash 0x08000000 2 MiB,
# SRAM1-3 0x20000000 768 KiB.
mcusim_firmware_board(nucleo-u575zi-q TOOLCHAIN arm-none-eabi
  ARCH_FLAGS "-mcpu=cortex-m33 -mthumb -mfloat-abi=hard -mfpu=fpv5-sp-d16"
  STARTUP ${_arm_startup} BRINGUP bringup/soc_stm32u575.c)

# Raspberry Pi Pico (RP2040, Cortex-M0+ 125 MHz, core 0 only): XIP flash 0x10000000 2 MiB (no
# boot2: the vector table is at 0x10000000), SRAM 0x20000000 264 KiB.
mcusim_firmware_board(rp2040 TOOLCHAIN arm-none-eabi
  ARCH_FLAGS "-mcpu=cortex-m0plus -mthumb -mfloat-abi=soft"
  STARTUP ${_arm_startup})

# lowRISC Ibex simple_system: RAM 0x00100000 1 MiB (code + data), reset at 0x00100080.
# Code and data share one RWX RAM: one RWX segment is expected, not worth a linker warning.
mcusim_firmware_board(ibex-simple TOOLCHAIN riscv32-unknown-elf
  ARCH_FLAGS "${_rv32imc}" STARTUP ${_rv32_startup}
  LINK_OPTIONS -Wl,--no-warn-rwx-segments
  CONSOLE_IO MCUSIM_IO_CONSOLE=0x20000 MCUSIM_IO_HALT=0x20008 MCUSIM_IO_MCOUNTERS)

# PicoRV32 testbench SoC: RAM 0x00000000 1 MiB, reset at 0x00010000. PicoRV32 has no standard
# trap CSRs (mtvec): the startup code does not touch them, a trap ends the run.
mcusim_firmware_board(picorv32-soc TOOLCHAIN riscv32-unknown-elf
  ARCH_FLAGS "${_rv32imc}" STARTUP ${_rv32_startup}
  DEFINES MCUSIM_RISCV_NO_MTVEC
  LINK_OPTIONS -Wl,--no-warn-rwx-segments
  CONSOLE_IO MCUSIM_IO_CONSOLE=0x10000000)

# SiFive HiFive1 Rev B (FE310-G002): code in SPI flash (XIP) at 0x20010000, data in the 16 KiB DTIM
# at 0x80000000. KWS (16000 B), VWW and IC need more than 16 KiB of activations; AD fits.
mcusim_firmware_board(hifive1-revb TOOLCHAIN riscv32-unknown-elf
  ARCH_FLAGS "${_rv32imc}" STARTUP ${_rv32_startup}
  OVERFLOWING_TASKS kws vww ic)

# Espressif ESP32-C3: code and read-only data in flash seen through the cache at 0x42000000,
# data in SRAM at 0x3FC80000 (384 KiB).
mcusim_firmware_board(esp32-c3 TOOLCHAIN riscv32-unknown-elf
  ARCH_FLAGS "${_rv32imc}" STARTUP ${_rv32_startup})

# Bench board (not a shipped simulator board): Arm MPS2 + AN386 as QEMU's mps2-an386 machine
# (hw/arm/mps2.c: SSRAM1 4 MiB at 0x0 for code, SSRAM2/3 4 MiB at 0x20000000; Cortex-M4F).
# bench/bench_kws runs kws-reference.elf on mcusim (board file bench/mps2-an386.toml) and on
# qemu-system-arm -M mps2-an386 (README "Speed"). QEMU's semihosting aborts on an operation it
# does not know (the ROI markers 0x100/0x101), so the markers are compiled out; the firmware
# prints and exits through SYS_WRITE0 and SYS_EXIT, which both understand. empty.elf (start-up and
# exit only) measures QEMU's start-up.
mcusim_firmware_board(mps2-an386 TOOLCHAIN arm-none-eabi
  ARCH_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"
  STARTUP ${_arm_startup} DEFINES MCUSIM_NO_MARKERS ELFS kws-reference empty)
