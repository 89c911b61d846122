// measure OUT CMD [ARG...]: runs CMD and writes to OUT
//   <start_ns> <end_ns> <peak_rss_kb>
// (CLOCK_MONOTONIC around its run, its peak RSS as wait4(2) reports it),
// then exits with CMD's status, or 128 + the signal that ended it.
//
// A small process of its own stands between the driver and CMD because the
// kernel carries the RSS of the process that called exec into the new
// program's peak: run straight from a large driver, every program would
// seem at least as large as the driver.
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s OUT CMD [ARG...]\n", argv[0]);
    return 2;
  }
  long long start = now_ns();
  pid_t child = fork();
  if (child < 0) {
    perror("fork");
    return 1;
  }
  if (child == 0) {
    execvp(argv[2], argv + 2);
    perror(argv[2]);
    _exit(127);
  }
  // CMD shares this process group, so a signal meant to stop the group
  // reaches it directly; this process waits for it to exit.
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  int status;
  struct rusage usage;
  if (wait4(child, &status, 0, &usage) < 0) {
    perror("wait4");
    return 1;
  }
  long long end = now_ns();
  FILE *out = fopen(argv[1], "w");
  if (!out || fprintf(out, "%lld %lld %ld\n", start, end, usage.ru_maxrss) < 0 || fclose(out) != 0) {
    perror(argv[1]);
    return 1;
  }
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
