// A hand-written stand-in for a compiled script, following the conventions
// of src/common/compiled_script.h: one ring buffer whose records start with
// a u64 event id, a per-CPU lost-events counter, `sonde_cpid` in .rodata.
//
//   begin                             { printf("begin %d\n", 42); }
//   tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @c[probe] = count(); }
//   end                               { print(@c); zero(@c); }
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

enum { EVENT_BEGIN, EVENT_PRINT_MAP, EVENT_ZERO };

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 64 * 4096);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} lost SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(max_entries, 16);
  __type(key, __u64);
  __type(value, __u64);
} counts SEC(".maps");

const volatile __u64 sonde_cpid = 0;

static void emit(__u64 id, __u64 arg) {
  __u64 *record = bpf_ringbuf_reserve(&events, 16, 0);
  if (!record) {
    __u32 zero = 0;
    __u64 *n = bpf_map_lookup_elem(&lost, &zero);
    if (n)
      *n += 1;
    return;
  }
  record[0] = id;
  record[1] = arg;
  bpf_ringbuf_submit(record, 0);
}

SEC("sonde/begin") int begin_0(void *ctx) {
  emit(EVENT_BEGIN, 42);
  return 0;
}

SEC("sonde/tracepoint") int tracepoint_1(void *ctx) {
  if ((bpf_get_current_pid_tgid() >> 32) != sonde_cpid)
    return 0;
  __u64 key = bpf_get_attach_cookie(ctx);
  __u64 one = 1;
  __u64 *count = bpf_map_lookup_elem(&counts, &key);
  if (count)
    *count += 1;
  else
    bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
  return 0;
}

SEC("sonde/end") int end_2(void *ctx) {
  emit(EVENT_PRINT_MAP, 0);
  emit(EVENT_ZERO, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
