// app_demo ACTION ARG...: an application for trace-app.bt to watch.
// `open PATH` opens (and closes) PATH, `openat2 PATH` the same with
// openat2(2); `exec PATH` runs PATH in a child and waits for it, `execveat
// PATH` the same with execveat(2); `rename NAME` renames the process
// (/proc/self/comm); `fork ACTIONS` runs the rest of the actions in a child
// and waits for it. Actions run in order.
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void run_in_child(const char *path, int use_execveat) {
  pid_t child = fork();
  if (child == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDOUT_FILENO);
    char *const argv[] = {(char *)path, NULL};
    char *const envp[] = {NULL};
    if (use_execveat)
      syscall(SYS_execveat, AT_FDCWD, path, argv, envp, 0);
    else
      execv(path, argv);
    _exit(127);
  }
  waitpid(child, NULL, 0);
}

int main(int argc, char **argv) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const char *action = argv[i], *path = argv[i + 1];
    if (strcmp(action, "open") == 0) {
      int fd = open(path, O_RDONLY);
      if (fd >= 0)
        close(fd);
    } else if (strcmp(action, "openat2") == 0) {
      struct open_how how = {.flags = O_RDONLY};
      int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how);
      if (fd >= 0)
        close(fd);
    } else if (strcmp(action, "exec") == 0 || strcmp(action, "execveat") == 0) {
      run_in_child(path, strcmp(action, "execveat") == 0);
    } else if (strcmp(action, "rename") == 0) {
      int fd = open("/proc/self/comm", O_WRONLY);
      if (fd >= 0) {
        if (write(fd, path, strlen(path)) < 0)
          perror("app_demo: rename");
        close(fd);
      }
    } else if (strcmp(action, "fork") == 0) {
      pid_t child = fork();
      if (child != 0) {
        waitpid(child, NULL, 0);
        return 0;
      }
      i--; // `fork` takes no argument: the next action starts at its place
    } else {
      fprintf(stderr, "app_demo: unknown action %s\n", action);
      return 2;
    }
  }
  return 0;
}
