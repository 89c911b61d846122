/* What sonde's own BPF C (src/codegen/bpf/, linked into the scripts that
 * call it) shares with codegen, which calls its functions, and with the
 * runtime, which fills and reads its maps: names, and the layout of keys
 * and values. C, so that the BPF C files can include it too. */
#ifndef SONDE_COMMON_BPF_C_ABI_H
#define SONDE_COMMON_BPF_C_ABI_H

#include <linux/types.h>

/* A function's or map's name as a string. */
#define SONDE_BPF_C_STRING(name) SONDE_BPF_C_STRING_(name)
#define SONDE_BPF_C_STRING_(name) #name

/* address_spaces.bpf.c: returns 1 for the first event of a process, and
 * the first after each exec (a new address space), else 0. */
#define SONDE_NEW_ADDRESS_SPACE sonde_new_address_space

/* dwarf_unwind.bpf.c, dw_ustack's unwinder, and the tables the runtime
 * fills for it (src/runtime/dwarf_unwind_tables.cpp). Its maps, by the
 * names of their globals: */
#define SONDE_DW_ROWS sonde_dw_rows         /* array: struct sonde_dw_row */
#define SONDE_DW_FILES sonde_dw_files       /* hash: file key -> its rows */
#define SONDE_DW_STACKS sonde_dw_ustacks    /* hash: stack id -> instruction pointers */
#define SONDE_DW_SCRATCH sonde_dw_scratch   /* per-CPU array: one stack being unwound */
#define SONDE_DW_REQUESTS sonde_dw_requests /* ring buffer: struct sonde_dw_request */

/* The function a dw_ustack() call lowers to: unwinds the current task's
 * user stack into SONDE_DW_STACKS, up to `max_frames` frames, and returns
 * the number of frames << 32 | the stack's id there. */
#define SONDE_DW_UNWIND sonde_dw_unwind

#define SONDE_DW_MAX_FRAMES 127

/* A file, as the kernel names the file a mapping maps. */
struct sonde_dw_file_key {
  __u64 dev; /* the superblock's s_dev: major << 20 | minor */
  __u64 ino;
};

/* A frame met a file that has no rows: the runtime reads them (the first
 * time each file is met), from the process's mapping of it. */
struct sonde_dw_request {
  __u64 pid;
  struct sonde_dw_file_key file;
};

/* A file's rows: SONDE_DW_ROWS[first, first + count). */
struct sonde_dw_file_rows {
  __u32 first;
  __u32 count;
};

enum sonde_dw_cfa_rule {
  SONDE_DW_CFA_NONE = 0, /* no rule to follow: the unwinding stops */
  SONDE_DW_CFA_RSP = 1,  /* CFA = rsp + cfa_offset */
  SONDE_DW_CFA_RBP = 2,  /* CFA = rbp + cfa_offset */
};

enum sonde_dw_rbp_rule {
  SONDE_DW_RBP_SAME = 0,          /* the caller's rbp is this frame's */
  SONDE_DW_RBP_AT_CFA_OFFSET = 1, /* saved at CFA + rbp_offset */
};

/* The rules from `file_offset` to the next row's. The return address is at
 * CFA - 8 on x86-64. */
struct sonde_dw_row {
  __u64 file_offset;
  __s32 cfa_offset;
  __s16 rbp_offset;
  __u8 cfa_rule; /* enum sonde_dw_cfa_rule */
  __u8 rbp_rule; /* enum sonde_dw_rbp_rule */
};

#endif /* SONDE_COMMON_BPF_C_ABI_H */
