# Toolchain: arm-none-eabi-gcc 12 for Cortex-M (default: Cortex-M4F, NUCLEO-L4R5ZI).
# Flags from /work/shared/reference/unicorn-notes.md ("Toolchains", Cortex-M4).
# MCUSIM_ARCH_FLAGS (set per board in boards/boards.cmake, passed by the host build) overrides the
# default core flags below.
# libc: picolibc (--specs=picolibc.specs) only for the odd memcpy/memset GCC may emit; the
# firmware brings its own startup and linker script (-nostartfiles, -T) and does its own I/O via
# semihosting, so no --oslib is linked.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "")
set(CMAKE_SIZE arm-none-eabi-size CACHE FILEPATH "")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# try_compile re-reads this file in a fresh project: hand it the board's flags.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES MCUSIM_ARCH_FLAGS)

if(NOT MCUSIM_ARCH_FLAGS)
  set(MCUSIM_ARCH_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
endif()
set(CMAKE_C_FLAGS_INIT "${MCUSIM_ARCH_FLAGS} -ffunction-sections -fdata-sections --specs=picolibc.specs")
set(CMAKE_ASM_FLAGS_INIT "${MCUSIM_ARCH_FLAGS}")
# Release: -O2 -g. The host build also passes -DCMAKE_C_FLAGS_RELEASE=-O2 -g, since CMake's
# default Release flags (-O3 -DNDEBUG) would otherwise be appended after these.
set(CMAKE_C_FLAGS_RELEASE_INIT "-O2 -g")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostartfiles -Wl,--gc-sections")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
