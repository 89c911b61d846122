// Whether the current process runs in an address space no event has shown
// yet: its first event, or its first since an exec. The runtime reads the
// process's mappings then, while it is alive, to name its user addresses
// later; a process that execs (a wrapper script, `sh -c`) has others after.
// Built into bitcode with sonde and linked into a script's module when the
// script records user addresses.

// libbpf's headers use the kernel's types: they come first.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

#include "common/bpf_c_abi.h"

struct mm_struct;

struct task_struct {
  struct mm_struct *mm;
} __attribute__((preserve_access_index));

struct address_space {
  __u64 pid;
  __u64 mm; // the mm_struct's address: a new one at each exec
};

// The address spaces already shown, the least recent dropped.
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 4096);
  __type(key, struct address_space);
  __type(value, __u8);
} sonde_seen_address_spaces SEC(".maps");

__u64 SONDE_NEW_ADDRESS_SPACE(void) {
  // A trusted pointer: its fields are read directly, without a helper call.
  struct task_struct *task = bpf_get_current_task_btf();
  struct address_space key = {bpf_get_current_pid_tgid() >> 32, (__u64)task->mm};
  // A lookup first: an update takes the map's lock even when the key is
  // there, and most events come from a process already shown.
  if (bpf_map_lookup_elem(&sonde_seen_address_spaces, &key))
    return 0;
  __u8 seen = 1;
  return bpf_map_update_elem(&sonde_seen_address_spaces, &key, &seen, BPF_NOEXIST) == 0;
}
