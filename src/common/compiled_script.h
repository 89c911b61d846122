#pragma once

// What codegen hands to the runtime: the BPF object and the tables needed to
// load, attach, decode events and print maps. Plain data, no LLVM types.

#include "types/type.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sonde {

// One BPF map backing a script map (`@name`).
struct MapInfo {
  std::string script_name; // "@x", or "@" for the anonymous map
  std::string elf_name;    // the map's name in the object
  types::TypePtr key;      // Kind::None for a scalar map (BPF key is a uint64 0)
  types::TypePtr value;    // aggregations: the per-CPU slot type (Kind::Count, …)
  bool percpu = false;
  uint32_t max_entries = 0;
};

// Where an attach point's program is attached.
struct AttachTarget {
  std::string provider; // canonical provider name: "begin", "tracepoint", "interval", …
  std::string spec;     // the expanded attach point, as `probe` prints it
  std::vector<std::string> fields; // spec split at ':' after the provider
  uint64_t cookie = 0;             // index into CompiledScript::probe_names
};

// One BPF program (one probe body, for one context type).
struct ProgramInfo {
  std::string function_name; // the program's symbol in the object
  std::string provider;      // as in AttachTarget
  // A `tracepoint` probe whose body reads no format fields is loaded as a raw
  // tracepoint program (fast to detach); its ctx is then the raw argument array.
  bool as_raw_tracepoint = false;
  std::vector<AttachTarget> targets;
  // A raw `sys_enter`/`sys_exit` program serving several syscall tracepoints
  // (it tells them apart by syscall number) has one target and counts as
  // this many probes.
  uint64_t dispatched_probes = 0;
  uint64_t probe_count() const { return dispatched_probes ? dispatched_probes : targets.size(); }
};

enum class EventKind : uint64_t {
  Printf,      // format + args
  Print,       // one value: args[0]
  PrintMap,    // map_index, top, div
  Clear,       // map_index: clear from userspace, in event order
  Zero,        // map_index
  Time,        // format (strftime, default "%H:%M:%S\n"), formatted with the wall clock
               // when the record is read
  Exit,        // args[0] is the int64 exit code
  Cat,         // format is the path printf format + args
  System,      // format + args; run with the shell when --unsafe
  Join,        // args[0]: char[max] × n argv strings
  Warning,     // format is the whole message, at filename:line:column when
               // filename is set; each is shown once
  HelperError, // -k: format names the helper, args[0] is its int64 return code
  Warnf,       // warnf(): format + args, shown on stderr at `filename:line:column`
  Errorf,      // errorf(): the same as an error
  NewProcess,  // args[0]: a pid seen with user addresses for the first time
  Unwatch,     // unwatch(): args[0] is the address whose watchpoints to detach
};

// One argument of an event record, at `offset` after the 8-byte event id.
struct EventArg {
  types::TypePtr type;
  uint64_t offset = 0;
};

// A range of one script line, with the line's text, for run-time messages
// that underline it.
struct SourcePlace {
  uint64_t line = 0;
  uint64_t column = 0;
  uint64_t end_column = 0; // past the range's end when it is on one line, else 0
  std::string text;
};

// Every record in the ring buffer starts with a uint64 index into
// CompiledScript::events; the arguments follow.
struct EventInfo {
  EventKind kind = EventKind::Printf;
  std::string format;
  std::vector<EventArg> args;
  uint64_t size = 0; // of the whole record, id included
  size_t map_index = 0;
  int64_t top = 0;
  int64_t div = 0;
  // PrintMap: how many of top and div the call gave (a tseries map takes
  // them as the graph's min and max, which may be 0).
  uint64_t print_args = 0;
  // HelperError, Warnf, Errorf, and a Warning about a place in the script:
  // where in the script the call is.
  std::string filename;
  uint64_t line = 0;
  uint64_t column = 0;
  uint64_t end_column = 0; // past the call's end when it is on one line, else 0
  // HelperError, Warning: the script's line `line`, shown with the range
  // underlined (empty: not shown).
  std::string source_line;
  // Warnf, Errorf in the body of a macro: the calls it was expanded from,
  // innermost first.
  std::vector<SourcePlace> expanded_from;
};

// uint64 globals in `.rodata` that the runtime writes before loading the
// object: the verifier sees constants, and an object compiled on one host at
// one time runs on another host later (sonde --aot).
namespace load_time {
inline constexpr const char *kChildPid = "sonde_cpid";        // the -c child
inline constexpr const char *kFilterPid = "sonde_filter_pid"; // -p, 0 for none
inline constexpr const char *kStartNs = "sonde_start_ns";     // CLOCK_MONOTONIC, for `elapsed`
// CLOCK_REALTIME - CLOCK_MONOTONIC, for strftime.
inline constexpr const char *kRealtimeOffsetNs = "sonde_realtime_offset_ns";
inline constexpr const char *kNcpus = "sonde_ncpus"; // possible CPUs, for `ncpus`
// sonde's pid namespace (device and inode of /proc/self/ns/pid), for pid and
// tid as seen from it; the inode is 0 in the initial namespace, where they
// need no translation.
inline constexpr const char *kPidNsDev = "sonde_pidns_dev";
inline constexpr const char *kPidNsIno = "sonde_pidns_ino";
// The programs' scratch memory: an array map with one value per CPU, keyed
// by the CPU's number, which the loader sizes to the possible CPUs.
inline constexpr const char *kScratchMap = "scratch";
} // namespace load_time

struct CompiledScript {
  std::vector<uint8_t> elf; // BPF object, for bpf_object__open_mem
  std::vector<ProgramInfo> programs;
  std::vector<MapInfo> maps; // script maps, sorted by script name
  std::vector<EventInfo> events;
  uint64_t verifier_log_size = 1000000; // bytes of each program's whole verifier log
  std::vector<std::string> probe_names; // indexed by AttachTarget::cookie
  std::string ringbuf_elf_name;         // the event ring buffer's map name
  std::string lost_events_elf_name;     // per-CPU uint64 count of failed reserves
  // Per-CPU uint64 per script map (indexed like `maps`): the updates a full
  // map refused.
  std::string map_full_elf_name;
  // Stack-trace maps (uint32 id → uint64 ips[127]); empty when unused. A
  // kstack/ustack value is (0 for the kernel map, 1 for the user map) << 32
  // | the stack id.
  std::string kernel_stack_map_elf_name;
  std::string user_stack_map_elf_name;
  // dw_ustack's stacks (the same layout, index 2), unwound in the kernel
  // with the tables of common/bpf_c_abi.h, which the runtime loads
  // when this is set.
  std::string dwarf_stack_map_elf_name;
  uint32_t dwarf_stack_map_entries = 0; // the most stacks it keeps (max_map_keys)
};

} // namespace sonde
