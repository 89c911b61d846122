// A program the verifier rejects: it reads through an unchecked pointer.
#include <bpf/bpf_helpers.h>
#include <linux/bpf.h>

SEC("sonde/begin") int begin_0(void *ctx) {
  long *p = (long *)(unsigned long)bpf_get_prandom_u32();
  return *p;
}

char LICENSE[] SEC("license") = "GPL";
