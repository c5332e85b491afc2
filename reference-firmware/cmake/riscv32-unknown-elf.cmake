# Toolchain: Debian's riscv64-unknown-elf-gcc 12 / binutils 2.40, generating RV32 code.
# Flags from /work/shared/reference/unicorn-notes.md ("Toolchains"): -march=rv32imc
# -misa-spec=2.2 -mabi=ilp32. ISA spec 2.2 keeps Zicsr inside "i", so the startup code's
# `csrr`/`csrw` assemble; -march=rv32imc_zicsr would match no multilib and GCC would silently
# link the 64-bit libgcc. MCUSIM_ARCH_FLAGS (set per board in boards/boards.cmake, passed by the
# host build) overrides the default.
# libc: picolibc (--specs=picolibc.specs) only for the odd memcpy/memset GCC may emit; no crt0
# (-nostartfiles: common/riscv/crt0.S), no --oslib: the firmware does its own semihosting.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)

set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_ASM_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_OBJCOPY riscv64-unknown-elf-objcopy CACHE FILEPATH "")
set(CMAKE_SIZE riscv64-unknown-elf-size CACHE FILEPATH "")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES MCUSIM_ARCH_FLAGS)

if(NOT MCUSIM_ARCH_FLAGS)
  set(MCUSIM_ARCH_FLAGS "-march=rv32imc -misa-spec=2.2 -mabi=ilp32")
endif()
set(CMAKE_C_FLAGS_INIT "${MCUSIM_ARCH_FLAGS} -ffunction-sections -fdata-sections --specs=picolibc.specs")
set(CMAKE_ASM_FLAGS_INIT "${MCUSIM_ARCH_FLAGS}")
# Release: -O2 -g. The host build also passes -DCMAKE_C_FLAGS_RELEASE=-O2 -g, since CMake's
# default Release flags (-O3 -DNDEBUG) would otherwise be appended after these.
set(CMAKE_C_FLAGS_RELEASE_INIT "-O2 -g")
set(CMAKE_ASM_FLAGS_RELEASE_INIT "-g")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostartfiles -Wl,--gc-sections")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
