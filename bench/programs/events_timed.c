// events_timed MODE CALLS ROUNDS OUT [TRACER_PID]: the traced workload of the
// per-event benchmarks. MODE is one operation, done CALLS times a round:
//   getppid   getppid(2)
//   openat    openat(2) of /etc/hostname, then close(2)
//   spin      a few arithmetic instructions (for sampling probes)
// Writes one line per round to OUT, `<start_ns> <end_ns>` (CLOCK_MONOTONIC).
//
// Then, if a tracer holds BPF programs (TRACER_PID, else the nearest
// ancestor holding any: the tracer that runs this loop with -c), it runs one
// more round with the kernel's BPF run-time statistics on (BPF_ENABLE_STATS,
// off again when its file descriptor closes) and adds the line
//   bpf <run_time_ns> <runs> <programs>
// where run_time_ns is summed over the tracer's programs and runs is the
// largest run count of one of them (so a two-probe program counts each
// event once). The statistics stay off during the timed rounds: they add
// two clock reads to every program run.
#include <bpf/bpf.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROGRAMS 64
#define OPENED_FILE "/etc/hostname"

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void run_getppid(long calls) {
  for (long i = 0; i < calls; i++)
    getppid();
}

static void run_openat(long calls) {
  for (long i = 0; i < calls; i++) {
    int fd = open(OPENED_FILE, O_RDONLY);
    if (fd >= 0)
      close(fd);
  }
}

static void run_spin(long calls) {
  volatile unsigned long x = 1;
  for (long i = 0; i < calls; i++)
    x = x * 6364136223846793005UL + 1442695040888963407UL;
}

// The ids of the BPF programs process pid holds, from the prog_id lines of
// its file descriptors' fdinfo (program and link descriptors both have one).
static int program_ids(int pid, unsigned ids[MAX_PROGRAMS]) {
  char path[64];
  snprintf(path, sizeof(path), "/proc/%d/fdinfo", pid);
  DIR *dir = opendir(path);
  if (!dir)
    return 0;
  int n = 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) && n < MAX_PROGRAMS) {
    char file[320], line[256];
    snprintf(file, sizeof(file), "%s/%s", path, entry->d_name);
    FILE *info = fopen(file, "r");
    if (!info)
      continue;
    unsigned id;
    while (fgets(line, sizeof(line), info))
      if (sscanf(line, "prog_id: %u", &id) == 1) {
        int known = 0;
        for (int i = 0; i < n; i++)
          known |= ids[i] == id;
        if (!known)
          ids[n++] = id;
      }
    fclose(info);
  }
  closedir(dir);
  return n;
}

static int parent_of(int pid) {
  char path[64], text[512];
  snprintf(path, sizeof(path), "/proc/%d/stat", pid);
  FILE *stat = fopen(path, "r");
  if (!stat)
    return 0;
  size_t length = fread(text, 1, sizeof(text) - 1, stat);
  fclose(stat);
  text[length] = '\0';
  char *after_comm = strrchr(text, ')');
  int parent = 0;
  if (after_comm)
    sscanf(after_comm + 1, " %*c %d", &parent);
  return parent;
}

static int tracer_programs(int pid, unsigned ids[MAX_PROGRAMS]) {
  if (pid > 0)
    return program_ids(pid, ids);
  for (pid = getppid(); pid > 1; pid = parent_of(pid)) {
    int n = program_ids(pid, ids);
    if (n > 0)
      return n;
  }
  return 0;
}

struct stats {
  unsigned long long run_time_ns, runs;
};

static void read_stats(const unsigned ids[], int n, struct stats out[]) {
  for (int i = 0; i < n; i++) {
    struct bpf_prog_info info = {0};
    unsigned length = sizeof(info);
    int fd = bpf_prog_get_fd_by_id(ids[i]);
    out[i] = (struct stats){0, 0};
    if (fd >= 0 && bpf_obj_get_info_by_fd(fd, &info, &length) == 0)
      out[i] = (struct stats){info.run_time_ns, info.run_cnt};
    if (fd >= 0)
      close(fd);
  }
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: %s getppid|openat|spin CALLS ROUNDS OUT [TRACER_PID]\n", argv[0]);
    return 2;
  }
  void (*operation)(long) = strcmp(argv[1], "getppid") == 0  ? run_getppid
                            : strcmp(argv[1], "openat") == 0 ? run_openat
                            : strcmp(argv[1], "spin") == 0   ? run_spin
                                                             : NULL;
  if (!operation) {
    fprintf(stderr, "%s: unknown mode %s\n", argv[0], argv[1]);
    return 2;
  }
  long calls = strtol(argv[2], NULL, 10);
  long rounds = strtol(argv[3], NULL, 10);
  FILE *out = fopen(argv[4], "w");
  if (!out) {
    perror(argv[4]);
    return 1;
  }
  for (long r = 0; r < rounds; r++) {
    long long start = now_ns();
    operation(calls);
    long long end = now_ns();
    fprintf(out, "%lld %lld\n", start, end);
  }

  unsigned ids[MAX_PROGRAMS];
  int n = tracer_programs(argc > 5 ? atoi(argv[5]) : 0, ids);
  if (n > 0) {
    struct stats before[MAX_PROGRAMS], after[MAX_PROGRAMS];
    int stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
    if (stats_fd < 0) {
      perror("BPF_ENABLE_STATS");
      return 1;
    }
    read_stats(ids, n, before);
    operation(calls);
    read_stats(ids, n, after);
    close(stats_fd);
    unsigned long long run_time_ns = 0, runs = 0;
    for (int i = 0; i < n; i++) {
      run_time_ns += after[i].run_time_ns - before[i].run_time_ns;
      if (after[i].runs - before[i].runs > runs)
        runs = after[i].runs - before[i].runs;
    }
    fprintf(out, "bpf %llu %llu %d\n", run_time_ns, runs, n);
  }
  return fclose(out) == 0 ? 0 : 1;
}
