// A self:signal program: counts its runs.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct hits {
  __u64 count;
  __s64 sum0;
  __s64 sum1;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct hits);
} hits SEC(".maps");

SEC("sonde/self") int self_0(void *ctx) {
  __u32 key = 0;
  struct hits *h = bpf_map_lookup_elem(&hits, &key);
  if (h)
    __sync_fetch_and_add(&h->count, 1);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
