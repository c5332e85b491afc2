#!/usr/bin/env bash
# Sanitizer and fuzzing step of CI (issue 11), after scripts/build.sh:
#  1. builds the host code with clang, AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer
#     is part of ASan) into build-asan/ (no firmware: the tests that need it stay in the normal
#     build), with the libFuzzer targets of tests/fuzz;
#  2. runs the fast test executables (unit, timing, loader and run tests) under the sanitizers;
#  3. runs each fuzz target for MCUSIM_FUZZ_SECONDS (default 30) from its seed corpus; a crash, a
#     leak, a timeout (10 s per input) or more than 2 GiB of memory fails the step.
# Environment: MCUSIM_FUZZ_SECONDS, MCUSIM_ASAN_DIR (default build-asan).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$(realpath -m "${MCUSIM_ASAN_DIR:-build-asan}")"
seconds="${MCUSIM_FUZZ_SECONDS:-30}"
jobs="$(nproc)"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -fsanitize=fuzzer-no-link"
mkdir -p "$dir"
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="$san" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DMCUSIM_BUILD_FIRMWARE=OFF -DMCUSIM_FUZZ=ON > "$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; exit 1; }
fast_tests=(mcusim_core_tests mcusim_rv32_tests mem_unit_tests power_unit_tests sim_unit_tests timing_tests integration_tests)
fuzzers=(fuzz_board fuzz_results fuzz_elf)
cmake --build "$dir" -j"$jobs" --target mcusim mcusim_snippets "${fast_tests[@]}" "${fuzzers[@]}"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# Unicorn (a Debian library, not instrumented) keeps a per-process TCG state; its own allocations
# are not the simulator's leaks.
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0"
echo "sanitize: tests under ASan+UBSan+LSan"
for t in "${fast_tests[@]}"; do
  exe="$(find "$dir/tests" -type f -name "$t" -perm -u+x | head -1)"
  (cd "$(dirname "$exe")" && timeout 900 "$exe" --gtest_brief=1) > "$dir/$t.log" 2>&1 || {
    tail -80 "$dir/$t.log"
    echo "sanitize: $t failed under the sanitizers (log: $dir/$t.log)"
    exit 1
  }
  grep -E "^\[  PASSED  \]" "$dir/$t.log" | sed "s/^/sanitize: $t: /"
done

# Fuzzing: a scratch copy of each seed corpus (the tree's corpus is never modified).
for f in "${fuzzers[@]}"; do
  work="$dir/fuzz-work/$f"
  rm -rf "$work" && mkdir -p "$work/corpus" "$work/artifacts"
  if [ -d tests/fuzz/corpus/"$f" ]; then cp tests/fuzz/corpus/"$f"/* "$work/corpus/"; fi
  case "$f" in
    fuzz_board) cp boards/*.toml tests/timing/boards/*.toml "$work/corpus/" ;;
    fuzz_elf) cp "$dir"/tests/snippets/*.elf "$work/corpus/" ;;  # assembled from tests/timing
  esac
  echo "sanitize: fuzzing $f for ${seconds} s"
  if ! "$dir/tests/fuzz/$f" "$work/corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/" > "$work/log" 2>&1; then
    tail -60 "$work/log"
    echo "sanitize: $f failed; the input is in $work/artifacts/"
    exit 1
  fi
  grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$work/log" | sed "s/^/sanitize: $f: /"
done
echo "sanitize: passed"
