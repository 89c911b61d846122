// map_batch KEYS percpu|plain: the kernel's share of printing, zeroing and
// clearing a map, measured alone. Creates a hash map of KEYS u64 keys (a
// per-CPU hash of u64 counters, as count() uses, or a plain hash of u64),
// fills it, then times each of these over the whole map, in batches of
// 8,192 entries as sonde's reader does:
//   lookup   BPF_MAP_LOOKUP_BATCH (what printing reads)
//   update   BPF_MAP_UPDATE_BATCH of zeros (zero())
//   delete   BPF_MAP_LOOKUP_AND_DELETE_BATCH (clear())
// Prints one line per operation: <name> <wall seconds> <CPU seconds>.
// Run as root.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH 8192

static double now(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fd;
static size_t value_size; // per entry, all CPUs
static uint64_t *keys;
static uint8_t *values;

// Walks the whole map with lookup (and delete); returns the entries seen.
static long walk(int delete) {
  uint64_t in = 0, out = 0;
  long seen = 0;
  for (int first = 1;; first = 0) {
    uint32_t count = BATCH;
    LIBBPF_OPTS(bpf_map_batch_opts, opts);
    int err = delete ? bpf_map_lookup_and_delete_batch(fd, first ? NULL : &in, &out, keys, values,
                                                       &count, &opts)
                     : bpf_map_lookup_batch(fd, first ? NULL : &in, &out, keys, values, &count,
                                            &opts);
    seen += count;
    if (err && errno == ENOENT)
      return seen;
    if (err) {
      perror("batch lookup");
      exit(1);
    }
    in = out;
  }
}

static void update(long total, uint64_t first_key, int zero) {
  for (long done = 0; done < total;) {
    uint32_t count = total - done < BATCH ? total - done : BATCH;
    for (uint32_t i = 0; i < count; i++)
      keys[i] = first_key + done + i;
    if (!zero)
      for (size_t i = 0; i < count * value_size; i++)
        values[i] = 1;
    LIBBPF_OPTS(bpf_map_batch_opts, opts);
    if (bpf_map_update_batch(fd, keys, values, &count, &opts)) {
      perror("batch update");
      exit(1);
    }
    done += count;
  }
}

static void report(const char *name, double wall0, double cpu0) {
  printf("%s %.3f %.3f\n", name, now(CLOCK_MONOTONIC) - wall0,
         now(CLOCK_PROCESS_CPUTIME_ID) - cpu0);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s KEYS percpu|plain\n", argv[0]);
    return 2;
  }
  long total = strtol(argv[1], NULL, 10);
  int percpu = strcmp(argv[2], "percpu") == 0;
  fd = bpf_map_create(percpu ? BPF_MAP_TYPE_PERCPU_HASH : BPF_MAP_TYPE_HASH, "batch", 8, 8,
                      total + total / 10, NULL);
  if (fd < 0) {
    perror("map create");
    return 1;
  }
  value_size = 8 * (percpu ? libbpf_num_possible_cpus() : 1);
  keys = calloc(BATCH, sizeof *keys);
  values = calloc(BATCH, value_size);
  update(total, 1000, 0);

  double wall = now(CLOCK_MONOTONIC), cpu = now(CLOCK_PROCESS_CPUTIME_ID);
  long seen = walk(0);
  report("lookup", wall, cpu);
  if (seen != total) {
    fprintf(stderr, "read %ld entries of %ld\n", seen, total);
    return 1;
  }
  memset(values, 0, BATCH * value_size);
  wall = now(CLOCK_MONOTONIC), cpu = now(CLOCK_PROCESS_CPUTIME_ID);
  update(total, 1000, 1);
  report("update", wall, cpu);
  wall = now(CLOCK_MONOTONIC), cpu = now(CLOCK_PROCESS_CPUTIME_ID);
  walk(1);
  report("delete", wall, cpu);
  return 0;
}
