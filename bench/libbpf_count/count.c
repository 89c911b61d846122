// Loads count.bpf.o, attaches it, waits for SIGINT or SIGTERM, then prints
// the per-comm counts summed over CPUs as `@[comm]: N`, ascending.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct entry {
  char comm[16];
  uint64_t count;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

static int by_count(const void *a, const void *b) {
  uint64_t x = ((const struct entry *)a)->count, y = ((const struct entry *)b)->count;
  return x < y ? -1 : x > y;
}

static int print_counts(int map_fd) {
  int ncpus = libbpf_num_possible_cpus();
  uint64_t *values = calloc(ncpus, sizeof(uint64_t));
  struct entry *entries = NULL;
  size_t n = 0;
  char key[16], next[16];
  void *previous = NULL;
  while (bpf_map_get_next_key(map_fd, previous, next) == 0) {
    memcpy(key, next, sizeof(key));
    previous = key;
    if (bpf_map_lookup_elem(map_fd, key, values) != 0)
      continue;
    entries = realloc(entries, (n + 1) * sizeof(*entries));
    memcpy(entries[n].comm, key, sizeof(key));
    entries[n].count = 0;
    for (int cpu = 0; cpu < ncpus; cpu++)
      entries[n].count += values[cpu];
    n++;
  }
  qsort(entries, n, sizeof(*entries), by_count);
  printf("\n\n");
  for (size_t i = 0; i < n; i++)
    printf("@[%.16s]: %llu\n", entries[i].comm, (unsigned long long)entries[i].count);
  free(entries);
  free(values);
  return 0;
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "count.bpf.o";
  struct bpf_object *object = bpf_object__open_file(path, NULL);
  if (!object) {
    fprintf(stderr, "cannot open %s\n", path);
    return 1;
  }
  if (bpf_object__load(object) != 0) {
    fprintf(stderr, "cannot load %s\n", path);
    bpf_object__close(object);
    return 1;
  }
  struct bpf_program *program = bpf_object__find_program_by_name(object, "count_getppid");
  struct bpf_link *link = program ? bpf_program__attach(program) : NULL;
  if (!link) {
    fprintf(stderr, "cannot attach tracepoint:syscalls:sys_enter_getppid\n");
    bpf_object__close(object);
    return 1;
  }
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  fprintf(stderr, "Attached 1 probe\n");
  while (!stop)
    pause();
  bpf_link__destroy(link);
  print_counts(bpf_map__fd(bpf_object__find_map_by_name(object, "counts")));
  bpf_object__close(object);
  return 0;
}
