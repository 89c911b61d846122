// app_demo ACTION ARG...: an application for trace-app.bt to watch.
// `open PATH` opens (and closes) PATH; `exec PATH` runs PATH in a child and
// waits for it. Actions run in order.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const char *action = argv[i], *path = argv[i + 1];
    if (strcmp(action, "open") == 0) {
      int fd = open(path, O_RDONLY);
      if (fd >= 0)
        close(fd);
    } else if (strcmp(action, "exec") == 0) {
      pid_t child = fork();
      if (child == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, STDOUT_FILENO);
        execl(path, path, (char *)NULL);
        _exit(127);
      }
      waitpid(child, NULL, 0);
    } else {
      fprintf(stderr, "app_demo: unknown action %s\n", action);
      return 2;
    }
  }
  return 0;
}
