// sleep_ms N: sleeps N milliseconds, then exits 0.
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
  long ms = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
  struct timespec duration = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&duration, &duration) != 0)
    ;
  return 0;
}
