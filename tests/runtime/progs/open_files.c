// open_files PATH...: opens and closes each path once (a trigger for openat
// probes); exits 1 if any could not be opened.
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int status = 0;
  for (int i = 1; i < argc; i++) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0)
      status = 1;
    else
      close(fd);
  }
  return status;
}
