// By hand, with the maps sonde uses (a hash for @start, a per-CPU hash for
// the aggregation, one 66-slot log2 histogram under key 0):
//   tracepoint:syscalls:sys_enter_getppid { @start[tid] = nsecs; }
//   tracepoint:syscalls:sys_exit_getppid {
//     @ns = hist(nsecs - @start[tid]); delete(@start, tid); }
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

#define HIST_SLOTS 66

struct hist {
  __u64 slots[HIST_SLOTS];
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 4096);
  __type(key, __u64);
  __type(value, __u64);
} start SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(max_entries, 1);
  __type(key, __u64);
  __type(value, struct hist);
} ns SEC(".maps");

static const struct hist empty;

// Slot 0 holds negative values, slot 1 zero, slot n + 2 [2^n, 2^(n+1)).
static __always_inline __u64 log2_slot(__s64 value) {
  if (value < 0)
    return 0;
  __u64 v = value;
  if (v < 2)
    return v + 1;
  __u64 n = 0, shift;
  shift = (v > 0xffffffff) << 5;
  v >>= shift;
  n |= shift;
  shift = (v > 0xffff) << 4;
  v >>= shift;
  n |= shift;
  shift = (v > 0xff) << 3;
  v >>= shift;
  n |= shift;
  shift = (v > 0xf) << 2;
  v >>= shift;
  n |= shift;
  shift = (v > 0x3) << 1;
  v >>= shift;
  n |= shift;
  n |= v >> 1;
  return n + 2;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int enter(void *ctx) {
  __u64 tid = (__u32)bpf_get_current_pid_tgid();
  __u64 now = bpf_ktime_get_ns();
  bpf_map_update_elem(&start, &tid, &now, BPF_ANY);
  return 0;
}

SEC("tracepoint/syscalls/sys_exit_getppid")
int exit_(void *ctx) {
  __u64 now = bpf_ktime_get_ns();
  __u64 tid = (__u32)bpf_get_current_pid_tgid();
  __u64 *started = bpf_map_lookup_elem(&start, &tid);
  __s64 delta = now - (started ? *started : 0);
  __u64 key = 0;
  struct hist *hist = bpf_map_lookup_elem(&ns, &key);
  if (!hist) {
    bpf_map_update_elem(&ns, &key, &empty, BPF_NOEXIST);
    hist = bpf_map_lookup_elem(&ns, &key);
    if (!hist)
      return 0;
  }
  __u64 slot = log2_slot(delta);
  if (slot < HIST_SLOTS)
    hist->slots[slot]++;
  bpf_map_delete_elem(&start, &tid);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
