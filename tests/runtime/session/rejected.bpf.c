// A program the verifier rejects: it reads through an unchecked pointer.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

SEC("sonde/begin") int begin_0(void *ctx) {
  long *p = (long *)(unsigned long)bpf_get_prandom_u32();
  return *p;
}

char LICENSE[] SEC("license") = "GPL";
