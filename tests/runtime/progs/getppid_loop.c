// getppid_loop N: calls getppid(2) N times (a trigger for syscall probes).
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long count = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
  for (long i = 0; i < count; i++)
    getppid();
  return 0;
}
