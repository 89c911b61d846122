// getppid_loop N [MS]: calls getppid(2) N times (a trigger for syscall
// probes), then sleeps MS milliseconds (for readers of the live maps).
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long count = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
  for (long i = 0; i < count; i++)
    getppid();
  long pause_ms = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
  struct timespec pause = {pause_ms / 1000, (pause_ms % 1000) * 1000000};
  nanosleep(&pause, NULL);
  return 0;
}
