// no_frame_pointers N [MS [PROGRAM ARGS...]]: N rounds of main → fp_outer →
// fp_middle → fp_leaf, which calls getppid(), each MS milliseconds after
// the last (default 0); then executes PROGRAM, when given. Built without
// frame pointers, so that only the call frame information (.eh_frame)
// unwinds it: dw_ustack's cases.
#include <stdlib.h>
#include <unistd.h>

// Each keeps a buffer on the stack, so that its frame has a size of its
// own, and uses its callee's result after the call, so that no call is a
// tail call.
__attribute__((noinline)) long fp_leaf(long i) {
  volatile char buffer[40];
  buffer[i % 40] = (char)i;
  return getppid() + buffer[i % 40];
}

__attribute__((noinline)) long fp_middle(long i) {
  volatile char buffer[72];
  buffer[i % 72] = (char)i;
  return fp_leaf(i + 1) * 3 + buffer[i % 72];
}

__attribute__((noinline)) long fp_outer(long i) {
  volatile char buffer[24];
  buffer[i % 24] = (char)i;
  return fp_middle(i + 1) * 5 + buffer[i % 24];
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
  long pause_ms = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
  volatile long sink = 0;
  for (long i = 0; i < rounds; i++) {
    if (pause_ms)
      usleep(pause_ms * 1000);
    sink += fp_outer(i);
  }
  // Lives a little longer, so that its symbols are read while it runs.
  usleep(300000);
  if (argc > 3) {
    execv(argv[3], argv + 3);
    return 127;
  }
  return 0;
}
