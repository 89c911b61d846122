// loader OBJECT: loads one of the hand-written per-event programs, attaches
// every program in it (a SEC("perf_event") one to a 999 Hz CPU clock on each
// CPU, the others where their section names say), writes `Attached N
// probes` to stderr and runs until SIGINT or SIGTERM. An object with a ring
// buffer named `events` (printf.bpf.c) has its records printed as
// `PID COMM` lines on stdout, as the traced printf would, and the count in
// its per-CPU array `lost` reported at exit as `WARNING: N events lost`.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_LINKS 256
#define PROFILE_HZ 999

struct event {
  uint64_t pid;
  char comm[16];
};

static volatile sig_atomic_t stop;
static struct bpf_link *links[MAX_LINKS];
static int nlinks;

static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

static int print_event(void *ctx, void *data, size_t size) {
  (void)ctx;
  const struct event *event = data;
  if (size >= sizeof(*event))
    printf("%llu %.16s\n", (unsigned long long)event->pid, event->comm);
  return 0;
}

static void report_lost(struct bpf_object *object) {
  struct bpf_map *lost = bpf_object__find_map_by_name(object, "lost");
  int ncpus = libbpf_num_possible_cpus();
  uint64_t counts[ncpus > 0 ? ncpus : 1], total = 0;
  uint32_t zero = 0;
  if (!lost || ncpus <= 0 || bpf_map_lookup_elem(bpf_map__fd(lost), &zero, counts) != 0)
    return;
  for (int cpu = 0; cpu < ncpus; cpu++)
    total += counts[cpu];
  if (total)
    fprintf(stderr, "WARNING: %llu events lost\n", (unsigned long long)total);
}

static int attach_profile(struct bpf_program *program) {
  struct perf_event_attr attr = {.type = PERF_TYPE_SOFTWARE,
                                 .size = sizeof(attr),
                                 .config = PERF_COUNT_SW_CPU_CLOCK,
                                 .sample_freq = PROFILE_HZ,
                                 .freq = 1};
  int ncpus = libbpf_num_possible_cpus();
  for (int cpu = 0; cpu < ncpus && nlinks < MAX_LINKS; cpu++) {
    int fd = syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
    if (fd < 0)
      continue; // an offline CPU
    links[nlinks] = bpf_program__attach_perf_event(program, fd);
    if (!links[nlinks]) {
      close(fd);
      return -1;
    }
    nlinks++;
  }
  return 0;
}

static int attach_all(struct bpf_object *object) {
  struct bpf_program *program;
  bpf_object__for_each_program(program, object) {
    if (strcmp(bpf_program__section_name(program), "perf_event") == 0) {
      if (attach_profile(program) != 0)
        return -1;
      continue;
    }
    if (nlinks == MAX_LINKS || !(links[nlinks] = bpf_program__attach(program)))
      return -1;
    nlinks++;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s OBJECT\n", argv[0]);
    return 2;
  }
  struct bpf_object *object = bpf_object__open_file(argv[1], NULL);
  if (!object || bpf_object__load(object) != 0) {
    fprintf(stderr, "cannot load %s\n", argv[1]);
    bpf_object__close(object);
    return 1;
  }
  int status = 1;
  struct ring_buffer *ring = NULL;
  struct bpf_map *events = bpf_object__find_map_by_name(object, "events");
  if (attach_all(object) != 0) {
    fprintf(stderr, "cannot attach the programs of %s\n", argv[1]);
    goto out;
  }
  if (events && !(ring = ring_buffer__new(bpf_map__fd(events), print_event, NULL, NULL))) {
    fprintf(stderr, "cannot read the ring buffer of %s\n", argv[1]);
    goto out;
  }
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  fprintf(stderr, "Attached %d probes\n", nlinks);
  while (!stop) {
    if (ring)
      ring_buffer__poll(ring, 100);
    else
      pause();
  }
  if (ring)
    ring_buffer__consume(ring);
  report_lost(object);
  status = 0;
out:
  ring_buffer__free(ring);
  for (int i = 0; i < nlinks; i++)
    bpf_link__destroy(links[i]);
  bpf_object__close(object);
  return status;
}
