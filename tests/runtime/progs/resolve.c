// resolve HOST...: looks up each host name with getaddrinfo(3) (a trigger for
// libc uprobes); exits 1 if a lookup failed.
#include <netdb.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  int status = 0;
  for (int i = 1; i < argc; i++) {
    struct addrinfo hints, *found;
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    int error = getaddrinfo(argv[i], NULL, &hints, &found);
    if (error != 0) {
      fprintf(stderr, "resolve: %s: %s\n", argv[i], gai_strerror(error));
      status = 1;
      continue;
    }
    freeaddrinfo(found);
  }
  return status;
}
