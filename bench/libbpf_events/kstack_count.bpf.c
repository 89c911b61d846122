// By hand, keyed the way sonde keys a stack (its stack-map id):
//   profile:hz:999 { @[kstack] = count(); }
// The loader attaches it to a 999 Hz CPU clock on every CPU.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

#define MAX_FRAMES 127

struct {
  __uint(type, BPF_MAP_TYPE_STACK_TRACE);
  __uint(max_entries, 4096);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, MAX_FRAMES * sizeof(__u64));
} stacks SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(max_entries, 4096);
  __type(key, __u64);
  __type(value, __u64);
} counts SEC(".maps");

SEC("perf_event")
int count_stack(void *ctx) {
  __u64 key = (__u32)bpf_get_stackid(ctx, &stacks, 0);
  __u64 *count = bpf_map_lookup_elem(&counts, &key);
  if (count) {
    *count += 1;
  } else {
    __u64 one = 1;
    bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
  }
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
