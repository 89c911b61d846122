// dw_ustack(): the current task's user stack, unwound in the kernel by the
// call frame information the runtime loads (src/runtime/
// dwarf_unwind_tables.cpp) for each file it may meet. Built into bitcode
// with sonde and linked into a script's module when the script calls it.
//
// Each frame: find the mapping of the instruction pointer (in the address
// space's cache of mappings, else with bpf_find_vma), its file's rows, the
// row in effect at the file offset (binary search), then the caller's
// registers from the row's rules.

// libbpf's headers use the kernel's types: they come first.
#include <linux/bpf.h>

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "common/bpf_c_abi.h"

// The kernel's types, only the members read; CO-RE finds them in this
// kernel's layout.
struct pt_regs {
  unsigned long bp;
  unsigned long ip;
  unsigned long cs;
  unsigned long sp;
} __attribute__((preserve_access_index));

struct super_block {
  __u32 s_dev;
} __attribute__((preserve_access_index));

struct inode {
  unsigned long i_ino;
  struct super_block *i_sb;
} __attribute__((preserve_access_index));

struct file {
  struct inode *f_inode;
} __attribute__((preserve_access_index));

struct vm_area_struct {
  unsigned long vm_start;
  unsigned long vm_end;
  unsigned long vm_pgoff;
  struct file *vm_file;
} __attribute__((preserve_access_index));

struct mm_struct;

struct task_struct {
  struct mm_struct *mm;
} __attribute__((preserve_access_index));

// Sized by the runtime before loading.
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct sonde_dw_row);
} SONDE_DW_ROWS SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1);
  __type(key, struct sonde_dw_file_key);
  __type(value, struct sonde_dw_file_rows);
} SONDE_DW_FILES SEC(".maps");

struct stack {
  __u64 ips[SONDE_DW_MAX_FRAMES];
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct stack);
} SONDE_DW_STACKS SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct stack);
} SONDE_DW_SCRATCH SEC(".maps");

struct mapping {
  __u64 start;  // the mapping's first address
  __u64 end;    // and the one after its last
  __u64 offset; // its file offset
  struct sonde_dw_file_key file;
};

// The mappings an address space's stacks went through. bpf_find_vma can
// take the mmap lock once per interrupt, so in a profile or sampling probe
// (an NMI) only a frame's first lookup finds its mapping: each event adds
// the first mapping it misses, and later events find them here.
#define CACHED_MAPPINGS 16
struct mapping_cache {
  struct mapping mappings[CACHED_MAPPINGS];
  __u32 next; // the entry the next mapping found replaces
};

// An address space: its mm_struct, and the process, whose pid tells a new
// process from an old one that had its mm_struct at the same address.
struct address_space {
  __u64 mm;
  __u64 tgid;
};

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 1024);
  __type(key, struct address_space);
  __type(value, struct mapping_cache);
} sonde_dw_mappings SEC(".maps");

// Nothing writes it: the empty cache a new address space starts from.
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct mapping_cache);
} sonde_dw_empty_mappings SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 64 * 1024);
} SONDE_DW_REQUESTS SEC(".maps");

// The files asked for, so that each is asked for once.
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 4096);
  __type(key, struct sonde_dw_file_key);
  __type(value, __u8);
} sonde_dw_requested SEC(".maps");

// Asks the runtime for the rows of a file the tables do not have yet: the
// stacks that reach it end there until they are loaded.
static void request_rows(const struct sonde_dw_file_key *file) {
  __u8 asked = 1;
  if (bpf_map_update_elem(&sonde_dw_requested, file, &asked, BPF_NOEXIST) != 0)
    return;
  struct sonde_dw_request request = {bpf_get_current_pid_tgid() >> 32, *file};
  bpf_ringbuf_output(&SONDE_DW_REQUESTS, &request, sizeof request, 0);
}

struct unwind_state {
  __u64 ip, sp, bp;
  __u64 hash;
  struct stack *stack;
  struct task_struct *task;
  struct mapping_cache *cache;
  __u32 depth;
  __u32 max_frames;
};

static long read_mapping(struct task_struct *task, struct vm_area_struct *vma, void *data) {
  struct mapping *out = data;
  struct file *file = BPF_CORE_READ(vma, vm_file);
  if (!file)
    return 0;
  out->start = BPF_CORE_READ(vma, vm_start);
  out->end = BPF_CORE_READ(vma, vm_end);
  out->offset = BPF_CORE_READ(vma, vm_pgoff) << 12;
  out->file.ino = BPF_CORE_READ(file, f_inode, i_ino);
  out->file.dev = BPF_CORE_READ(file, f_inode, i_sb, s_dev);
  return 0;
}

// The file mapping that holds `address`, from the cache or the kernel.
static int find_mapping(struct unwind_state *state, __u64 address, struct mapping *out) {
  struct mapping_cache *cache = state->cache;
  for (int i = 0; i < CACHED_MAPPINGS; i++) {
    struct mapping *cached = &cache->mappings[i];
    if (cached->start <= address && address < cached->end) {
      *out = *cached;
      return 1;
    }
  }
  if (bpf_find_vma(state->task, address, read_mapping, out, 0) != 0 || out->end == 0)
    return 0;
  __u32 next = cache->next % CACHED_MAPPINGS;
  cache->mappings[next] = *out;
  cache->next = next + 1;
  return 1;
}

// The last of a file's rows that starts at or before `offset`.
static struct sonde_dw_row *row_at(const struct sonde_dw_file_rows *rows, __u64 offset) {
  __u32 first = rows->first, count = rows->count;
  for (int i = 0; i < 32 && count > 1; i++) {
    __u32 half = count / 2, middle = first + half;
    struct sonde_dw_row *row = bpf_map_lookup_elem(&SONDE_DW_ROWS, &middle);
    if (!row)
      return 0;
    if (row->file_offset <= offset)
      first = middle;
    count -= half;
  }
  struct sonde_dw_row *row = bpf_map_lookup_elem(&SONDE_DW_ROWS, &first);
  if (!row || count == 0 || row->file_offset > offset)
    return 0;
  return row;
}

// One frame: records the instruction pointer and steps to the caller's
// registers. 1 stops the loop.
static long unwind_frame(__u64 index, void *data) {
  struct unwind_state *state = data;
  __u32 depth = state->depth;
  if (depth >= state->max_frames || depth >= SONDE_DW_MAX_FRAMES || state->ip == 0)
    return 1;
  state->stack->ips[depth] = state->ip;
  state->depth = depth + 1;
  state->hash = (state->hash ^ state->ip) * 0x100000001b3ULL;

  struct mapping mapping = {};
  if (!find_mapping(state, state->ip, &mapping))
    return 1;
  struct sonde_dw_file_rows *rows = bpf_map_lookup_elem(&SONDE_DW_FILES, &mapping.file);
  if (!rows) {
    request_rows(&mapping.file);
    return 1;
  }
  // A caller's instruction pointer is the return address, which may be
  // past the call's own function: look up the call instruction instead.
  __u64 offset = state->ip - mapping.start + mapping.offset - (depth > 0);
  struct sonde_dw_row *row = row_at(rows, offset);
  if (!row)
    return 1;
  __u64 cfa;
  if (row->cfa_rule == SONDE_DW_CFA_RSP)
    cfa = state->sp + row->cfa_offset;
  else if (row->cfa_rule == SONDE_DW_CFA_RBP)
    cfa = state->bp + row->cfa_offset;
  else
    return 1;
  __u64 return_address = 0, bp = state->bp;
  if (bpf_probe_read_user(&return_address, sizeof return_address, (void *)(cfa - 8)) != 0)
    return 1;
  if (row->rbp_rule == SONDE_DW_RBP_AT_CFA_OFFSET &&
      bpf_probe_read_user(&bp, sizeof bp, (void *)(cfa + row->rbp_offset)) != 0)
    return 1;
  state->ip = return_address;
  state->sp = cfa;
  state->bp = bp;
  return 0;
}

__attribute__((noinline)) __u64 SONDE_DW_UNWIND(__u64 max_frames) {
  __u32 zero = 0;
  struct stack *stack = bpf_map_lookup_elem(&SONDE_DW_SCRATCH, &zero);
  if (!stack)
    return 0;
  struct task_struct *task = bpf_get_current_task_btf();
  struct address_space address_space = {(__u64)BPF_CORE_READ(task, mm),
                                        bpf_get_current_pid_tgid() >> 32};
  struct mapping_cache *cache = bpf_map_lookup_elem(&sonde_dw_mappings, &address_space);
  if (!cache) {
    struct mapping_cache *empty = bpf_map_lookup_elem(&sonde_dw_empty_mappings, &zero);
    if (!empty)
      return 0;
    bpf_map_update_elem(&sonde_dw_mappings, &address_space, empty, BPF_NOEXIST);
    cache = bpf_map_lookup_elem(&sonde_dw_mappings, &address_space);
    if (!cache)
      return 0;
  }
  struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
  struct unwind_state state = {
      .hash = 0xcbf29ce484222325ULL,
      .stack = stack,
      .task = task,
      .cache = cache,
      .max_frames = max_frames,
  };
  // A task in user mode when it entered the kernel; kernel threads have
  // no user stack.
  if ((BPF_CORE_READ(regs, cs) & 3) == 3) {
    state.ip = BPF_CORE_READ(regs, ip);
    state.sp = BPF_CORE_READ(regs, sp);
    state.bp = BPF_CORE_READ(regs, bp);
  }
  bpf_loop(SONDE_DW_MAX_FRAMES, unwind_frame, &state, 0);
  __u32 depth = state.depth;
  if (depth < SONDE_DW_MAX_FRAMES)
    stack->ips[depth] = 0;
  __u32 id = (__u32)(state.hash ^ (state.hash >> 32));
  bpf_map_update_elem(&SONDE_DW_STACKS, &id, stack, BPF_ANY);
  return (__u64)depth << 32 | id;
}
