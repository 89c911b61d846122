// getppid_timed CALLS ROUNDS [OUT]: calls getppid(2) CALLS times, ROUNDS times
// over, and writes one line per round to OUT (default stdout):
//   <start_ns> <end_ns>
// as CLOCK_MONOTONIC readings, so a driver can derive ns per call and line
// the rounds up with other readings of that clock (bench/programs/measure.c).
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s CALLS ROUNDS [OUT]\n", argv[0]);
    return 2;
  }
  long calls = strtol(argv[1], NULL, 10);
  long rounds = strtol(argv[2], NULL, 10);
  FILE *out = argc > 3 ? fopen(argv[3], "w") : stdout;
  if (!out) {
    perror(argv[3]);
    return 1;
  }
  for (long r = 0; r < rounds; r++) {
    long long start = now_ns();
    for (long i = 0; i < calls; i++)
      getppid();
    long long end = now_ns();
    fprintf(out, "%lld %lld\n", start, end);
  }
  return fclose(out) == 0 ? 0 : 1;
}
