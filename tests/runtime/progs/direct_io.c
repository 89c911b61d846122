// direct_io N: writes N blocks of 4 KiB to a new file in /var/tmp and reads
// them back, all with O_DIRECT, so each one is a block device request (a
// trigger for block I/O probes). The file is removed at once; exits 1 if the
// file system refuses direct I/O.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { kBlock = 4096 };

int main(int argc, char **argv) {
  long count = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
  char path[] = "/var/tmp/direct_io.XXXXXX";
  int fd = mkostemp(path, O_DIRECT);
  if (fd < 0) {
    perror("direct_io: mkostemp");
    return 1;
  }
  unlink(path);
  void *block;
  if (posix_memalign(&block, kBlock, kBlock) != 0)
    return 1;
  memset(block, 0x5a, kBlock);
  for (long i = 0; i < count; i++)
    if (pwrite(fd, block, kBlock, i * kBlock) != kBlock) {
      perror("direct_io: pwrite");
      return 1;
    }
  fdatasync(fd);
  for (long i = 0; i < count; i++)
    if (pread(fd, block, kBlock, i * kBlock) != kBlock) {
      perror("direct_io: pread");
      return 1;
    }
  close(fd);
  free(block);
  return 0;
}
