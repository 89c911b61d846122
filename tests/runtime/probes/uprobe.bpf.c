// Uprobe, uretprobe and usdt programs reading their context the way codegen
// does: the thread's struct pt_regs (x86-64 offsets) and, for usdt probes,
// argument specs (set in .rodata by the test from the note it parsed).
// Each program counts hits per attach cookie and sums two arguments.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

#define PT_REGS_SIZE 168
#define REG_AX 80
#define REG_SI 104
#define REG_DI 112

#define REG(ctx, offset) (*(__u64 *)((char *)(ctx) + (offset)))

struct hits {
  __u64 count;
  __s64 sum0;
  __s64 sum1;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 16);
  __type(key, __u32);
  __type(value, struct hits);
} hits SEC(".maps");

// sonde::probes::UsdtArgument, as the test writes it.
struct usdt_arg {
  __u32 kind; // 0 constant, 1 register, 2 memory
  __u32 size;
  __u32 is_signed;
  __u32 register_offset;
  __s64 value;
};

volatile const struct usdt_arg usdt_args[2];

static struct hits *hits_of(void *ctx) {
  __u32 key = (__u32)bpf_get_attach_cookie(ctx);
  return bpf_map_lookup_elem(&hits, &key);
}

SEC("sonde/uprobe") int uprobe_0(void *ctx) {
  struct hits *h = hits_of(ctx);
  if (h) {
    __sync_fetch_and_add(&h->count, 1);
    __sync_fetch_and_add(&h->sum0, (int)REG(ctx, REG_DI));
    __sync_fetch_and_add(&h->sum1, (int)REG(ctx, REG_SI));
  }
  return 0;
}

SEC("sonde/uretprobe") int uretprobe_1(void *ctx) {
  struct hits *h = hits_of(ctx);
  if (h) {
    __sync_fetch_and_add(&h->count, 1);
    __sync_fetch_and_add(&h->sum0, (int)REG(ctx, REG_AX));
  }
  return 0;
}

static __s64 usdt_arg(const __u64 *regs, int i) {
  __u64 raw = 0;
  __u32 size = usdt_args[i].size;
  if (size == 0 || size > 8)
    return 0;
  if (usdt_args[i].kind == 0) {
    raw = usdt_args[i].value;
  } else {
    __u32 index = usdt_args[i].register_offset / 8;
    if (index >= PT_REGS_SIZE / 8)
      return 0;
    raw = regs[index];
    if (usdt_args[i].kind == 2) {
      __u64 address = raw + usdt_args[i].value;
      raw = 0;
      bpf_probe_read_user(&raw, size, (void *)address);
    }
  }
  int shift = 64 - 8 * size;
  if (usdt_args[i].is_signed)
    return (__s64)(raw << shift) >> shift;
  return (__s64)((raw << shift) >> shift);
}

SEC("sonde/usdt") int usdt_2(void *ctx) {
  __u64 regs[PT_REGS_SIZE / 8];
  if (bpf_probe_read_kernel(regs, sizeof(regs), ctx) != 0)
    return 0;
  struct hits *h = hits_of(ctx);
  if (h) {
    __sync_fetch_and_add(&h->count, 1);
    __sync_fetch_and_add(&h->sum0, usdt_arg(regs, 0));
    __sync_fetch_and_add(&h->sum1, usdt_arg(regs, 1));
  }
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
