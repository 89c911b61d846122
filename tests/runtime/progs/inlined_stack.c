// inlined_stack N: N rounds of sonde_outer(i), into which sonde_middle and
// sonde_inner are inlined; sonde_inner fires usdt sonde:inlined (i), so its
// user stack holds two inlined calls at one address (show_debug_info).
// Then lives a little longer, so that its symbols are read while it runs.
#include <stdlib.h>
#include <sys/sdt.h>
#include <unistd.h>

static inline __attribute__((always_inline)) long sonde_inner(long i) {
  DTRACE_PROBE1(sonde, inlined, i);
  return i * 3;
}

static inline __attribute__((always_inline)) long sonde_middle(long i) {
  return sonde_inner(i + 1) + 1;
}

__attribute__((noinline)) long sonde_twice(long i) {
  __asm__ volatile("");
  return i * 2;
}

// Not a leaf, so that it sets up a frame pointer and its caller shows.
__attribute__((noinline)) long sonde_outer(long i) { return sonde_twice(sonde_middle(i)) + 1; }

int main(int argc, char **argv) {
  long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
  volatile long sink = 0;
  for (long i = 0; i < rounds; i++)
    sink += sonde_outer(i);
  usleep(300000);
  return 0;
}
