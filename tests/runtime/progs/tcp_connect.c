// tcp_connect ADDRESS PORT...: for each numeric IPv4 or IPv6 address and port
// pair, makes one TCP connection attempt and closes it (a trigger for
// tcpconnect.bt). Refused connections are expected; exits 2 on bad arguments.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int connect_once(const char *address, const char *port) {
  struct sockaddr_storage peer;
  memset(&peer, 0, sizeof(peer));
  struct sockaddr_in *v4 = (struct sockaddr_in *)&peer;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&peer;
  socklen_t length;
  if (inet_pton(AF_INET, address, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)atoi(port));
    length = sizeof(*v4);
  } else if (inet_pton(AF_INET6, address, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)atoi(port));
    length = sizeof(*v6);
  } else {
    fprintf(stderr, "tcp_connect: not a numeric address: %s\n", address);
    return -1;
  }
  int fd = socket(peer.ss_family, SOCK_STREAM, 0);
  if (fd < 0) {
    perror("tcp_connect: socket");
    return -1;
  }
  connect(fd, (struct sockaddr *)&peer, length);
  close(fd);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 3 || argc % 2 == 0) {
    fprintf(stderr, "usage: tcp_connect ADDRESS PORT...\n");
    return 2;
  }
  for (int i = 1; i + 1 < argc; i += 2)
    if (connect_once(argv[i], argv[i + 1]) != 0)
      return 2;
  return 0;
}
