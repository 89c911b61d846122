// Records the kernel and the user stack of the target process's getppid()
// calls the way codegen stores kstack and ustack values: map index in the
// high 32 bits, bpf_get_stackid()'s id in the low 32 bits.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

#define NR_GETPPID 110

struct {
  __uint(type, BPF_MAP_TYPE_STACK_TRACE);
  __uint(max_entries, 64);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, 127 * sizeof(__u64));
} kernel_stacks SEC(".maps"); // map index 0

struct {
  __uint(type, BPF_MAP_TYPE_STACK_TRACE);
  __uint(max_entries, 64);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, 8 * sizeof(__u64));
} user_stacks SEC(".maps"); // map index 1: ustack(8)

struct recorded {
  __u64 kstack;
  __u64 ustack;
  __u64 pid;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct recorded);
} recorded SEC(".maps");

const volatile __u32 target_tgid = 0;

SEC("raw_tracepoint/sys_enter") int record_stacks(struct bpf_raw_tracepoint_args *ctx) {
  __u64 pid_tgid = bpf_get_current_pid_tgid();
  if (ctx->args[1] != NR_GETPPID || (pid_tgid >> 32) != target_tgid)
    return 0;
  __u32 zero = 0;
  struct recorded *r = bpf_map_lookup_elem(&recorded, &zero);
  if (!r)
    return 0;
  r->kstack = (0ULL << 32) | (__u32)bpf_get_stackid(ctx, &kernel_stacks, 0);
  r->ustack = (1ULL << 32) | (__u32)bpf_get_stackid(ctx, &user_stacks, BPF_F_USER_STACK);
  r->pid = pid_tgid >> 32;
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
