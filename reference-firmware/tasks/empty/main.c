/* empty firmware: the board's start-up code (.data copy, .bss zeroing, FPU enable) and an exit
 * with status 0, nothing else. Built only for the boards that list it (boards.cmake ELFS), e.g.
 * mps2-an386: bench/bench_kws runs it on QEMU to measure QEMU's own start-up and exit, which it
 * takes off the KWS run's time (README "Speed"). */
int main(void) {
  return 0;
}
