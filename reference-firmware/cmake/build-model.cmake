# Builds the firmware of imported .tflite models for one board (used by `mcusim model` and
# `mcusim bench --model`, issue 17). Script mode:
#   cmake -DBOARD=<board> -DMODELS=<name>=<dir>[|<name>=<dir>...] -DBINARY_DIR=<build dir>
#         -DOUTPUT_DIR=<where the ELFs go> -P build-model.cmake
# <dir> holds the importer's model_params.{c,h} (scripts/mcusim_model). Configures
# reference-firmware/ as its cross project (MCUSIM_MODELS_ONLY: no task, no calib) with the board's
# toolchain and flags from boards/boards.cmake, once per BINARY_DIR, then builds it (incremental:
# a second run compiles nothing). Writes <OUTPUT_DIR>/<name>-{reference,optimized}.elf.
cmake_minimum_required(VERSION 3.25)
foreach(var BOARD MODELS BINARY_DIR OUTPUT_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "build-model.cmake: -D${var}=... missing")
  endif()
endforeach()
get_filename_component(_fw_src ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)
include(${_fw_src}/boards/boards.cmake)
if(NOT BOARD IN_LIST MCUSIM_FIRMWARE_ALL_BOARDS)
  message(FATAL_ERROR "board ${BOARD} has no firmware build (boards/boards.cmake lists: "
    "${MCUSIM_FIRMWARE_ALL_BOARDS})")
endif()
set(_toolchain ${MCUSIM_BOARD_${BOARD}_TOOLCHAIN})
set(_compiler ${MCUSIM_TOOLCHAIN_${_toolchain}_COMPILER})
find_program(_cc NAMES ${_compiler})
if(NOT _cc)
  message(FATAL_ERROR "${_compiler} not found: the cross compiler for ${BOARD} "
    "(scripts/install-deps.sh installs it)")
endif()
if(NOT EXISTS ${BINARY_DIR}/CMakeCache.txt)
  execute_process(
    COMMAND ${CMAKE_COMMAND} -S ${_fw_src} -B ${BINARY_DIR}
      -DCMAKE_TOOLCHAIN_FILE=${_fw_src}/cmake/${_toolchain}.cmake
      -DCMAKE_BUILD_TYPE=Release
      "-DCMAKE_C_FLAGS_RELEASE=-O2 -g"
      "-DMCUSIM_ARCH_FLAGS=${MCUSIM_BOARD_${BOARD}_ARCH_FLAGS}"
      -DMCUSIM_BOARD=${BOARD}
      -DMCUSIM_MODELS_ONLY=ON
      "-DMCUSIM_MODELS=${MODELS}"
      -DMCUSIM_FIRMWARE_OUTPUT_DIR=${OUTPUT_DIR}
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(NOT _rc EQUAL 0)
    file(REMOVE ${BINARY_DIR}/CMakeCache.txt)
    message(FATAL_ERROR "configuring the firmware of ${MODELS} for ${BOARD} failed:\n${_out}")
  endif()
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR}
  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "building the firmware of ${MODELS} for ${BOARD} failed:\n${_out}")
endif()
