// watched_writes N: maps a page at 0x10000000 (a fixed address, as
// watchpoint attach points need one) and writes the 8 bytes there N times,
// 20 ms apart, after 200 ms for the tracer's attaching.
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long writes = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
  volatile long *watched = mmap((void *)0x10000000, 4096, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (watched == MAP_FAILED)
    return 1;
  usleep(200000);
  for (long i = 0; i < writes; i++) {
    *watched = i;
    usleep(20000);
  }
  return 0;
}
