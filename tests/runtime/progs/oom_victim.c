// oom_victim: starts a child named "memhog" in a new memory cgroup limited to
// 16 MiB, where it touches memory until the kernel's OOM killer ends it (a
// trigger for oom:mark_victim that harms nothing outside that cgroup). Works
// with the cgroup v2 and the v1 memory controller; removes the cgroup
// afterwards. Exits 0 if the child was killed by SIGKILL, 1 otherwise.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { kLimitMiB = 16, kTouchMiB = 256 };

static int write_file(const char *dir, const char *name, const char *text) {
  char path[PATH_MAX];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  int fd = open(path, O_WRONLY);
  if (fd < 0)
    return -1;
  ssize_t written = write(fd, text, strlen(text));
  close(fd);
  return written == (ssize_t)strlen(text) ? 0 : -1;
}

// Creates the cgroup under the v2 hierarchy, or else under v1's memory
// controller, with its limit set; fills `dir`.
static int make_cgroup(char *dir, size_t size) {
  char limit[32];
  snprintf(limit, sizeof(limit), "%d", kLimitMiB << 20);
  int v2 = access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0;
  snprintf(dir, size, "%s/sonde-oom-%d", v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory",
           (int)getpid());
  if (mkdir(dir, 0755) != 0) {
    fprintf(stderr, "oom_victim: mkdir %s: %s\n", dir, strerror(errno));
    return -1;
  }
  int ok = v2 ? write_file(dir, "memory.max", limit) == 0 &&
                    (write_file(dir, "memory.swap.max", "0") == 0 || errno == ENOENT)
              : write_file(dir, "memory.limit_in_bytes", limit) == 0;
  if (!ok) {
    fprintf(stderr, "oom_victim: cannot limit memory in %s: %s\n", dir, strerror(errno));
    rmdir(dir);
    return -1;
  }
  return 0;
}

static void hog(const char *dir) {
  if (write_file(dir, "cgroup.procs", "0") != 0)
    _exit(2);
  prctl(PR_SET_NAME, "memhog");
  for (int i = 0; i < kTouchMiB; i++) {
    char *chunk = malloc(1 << 20);
    if (!chunk)
      _exit(3);
    memset(chunk, 1, 1 << 20);
  }
  _exit(0);
}

int main(void) {
  char dir[PATH_MAX];
  if (make_cgroup(dir, sizeof(dir)) != 0)
    return 1;
  pid_t child = fork();
  if (child == 0)
    hog(dir);
  int status = 0;
  waitpid(child, &status, 0);
  // The cgroup may stay busy for a moment while the victim's memory is freed.
  for (int i = 0; i < 100 && rmdir(dir) != 0 && errno == EBUSY; i++)
    usleep(10000);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 0 : 1;
}
