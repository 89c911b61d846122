// By hand, with sonde's map and string size (a per-CPU hash keyed by the
// whole 1,024-byte string, NUL-padded so that equal names are equal keys):
//   tracepoint:syscalls:sys_enter_openat { @[str(args.filename)] = count(); }
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

#define STRLEN 1024

struct name {
  char text[STRLEN];
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct name);
} scratch SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(max_entries, 4096);
  __type(key, struct name);
  __type(value, __u64);
} counts SEC(".maps");

// The sys_enter_openat format: common fields, __syscall_nr, dfd, filename.
struct openat_args {
  __u64 common;
  __s64 syscall_nr;
  __u64 dfd;
  const char *filename;
};

SEC("tracepoint/syscalls/sys_enter_openat")
int count_openat(struct openat_args *args) {
  __u32 zero = 0;
  struct name *key = bpf_map_lookup_elem(&scratch, &zero);
  if (!key)
    return 0;
  __builtin_memset(key, 0, sizeof(*key));
  bpf_probe_read_user_str(key->text, sizeof(key->text), args->filename);
  __u64 *count = bpf_map_lookup_elem(&counts, key);
  if (count) {
    *count += 1;
  } else {
    __u64 one = 1;
    bpf_map_update_elem(&counts, key, &one, BPF_NOEXIST);
  }
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
