// The baseline for the per-event overhead benchmark, written by hand:
//   tracepoint:syscalls:sys_enter_getppid { @[comm] = count(); }
// as a per-CPU hash keyed by the 16-byte comm.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct comm_key {
  char comm[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(max_entries, 4096);
  __type(key, struct comm_key);
  __type(value, __u64);
} counts SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int count_getppid(void *ctx) {
  struct comm_key key = {};
  bpf_get_current_comm(key.comm, sizeof(key.comm));
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
