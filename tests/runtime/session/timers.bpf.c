// interval:ms:20 { exit(3); } and software:cpu-clock:1000000 (no body) —
// the timer providers, and exit() ending a run.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

SEC("sonde/interval") int interval_0(void *ctx) {
  __u64 *record = bpf_ringbuf_reserve(&events, 16, 0);
  if (record) {
    record[0] = 0;
    record[1] = 3;
    bpf_ringbuf_submit(record, 0);
  }
  return 0;
}

SEC("sonde/software") int software_1(void *ctx) { return 0; }

char LICENSE[] SEC("license") = "GPL";
