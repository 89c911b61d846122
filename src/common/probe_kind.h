#pragma once

// What every stage knows about a kind of probe, in one descriptor per kind:
// sema asks which builtins exist in it, codegen how to read its context and
// where its program goes, the runtime provider of the same name attaches it
// (src/runtime/probes/<kind>.cpp). Nothing outside the providers compares a
// kind's name.

#include <string>
#include <vector>

namespace sonde {

// What a program of the kind gets as its context.
enum class ProbeContext {
  None,             // begin, end, self: run once from userspace, nothing to read
  PtRegs,           // the registers at the probed instruction (common/registers.h)
  RawArguments,     // the tracepoint's arguments, 8 bytes each
  TracepointRecord, // the event's record, read as `args`
  BtfArguments,     // the traced function's arguments, as BTF describes them
  PerfEvent,        // a perf event sample
};

enum class AddressSpace { Kernel, User };

// What a run of sonde does (--mode): trace (the default), or run the script's
// test or bench probes.
enum class RunMode { Trace, Test, Bench };

// Where `arg0`, `arg1`, … are read from.
enum class ArgumentSource {
  None,         // no argN
  Registers,    // a function's entry: System V argument registers, then the stack
  UsdtOperands, // where the probe site's note says each one is
  RawArguments, // the raw tracepoint's argument array
};

struct ProbeKind {
  std::string name; // canonical, as attach points and ProgramInfo::provider spell it
  std::vector<std::string> aliases = {};
  ProbeContext context = ProbeContext::None;
  // The address space of integers used as addresses (str(arg0), buf(…)) and
  // of the caller's stack: user in probes of user code.
  AddressSpace address_space = AddressSpace::Kernel;
  // The attach target's first field is the user binary probed.
  bool probes_binary = false;
  // Kernel-space reads (of pointers and str()) call the legacy
  // bpf_probe_read, which reads user memory below the user address limit and
  // kernel memory above it, and their -k errors name probe_read: bpftrace's
  // reads in probes that belong to no address space (begin, end, timers,
  // perf events, watchpoints).
  bool reads_by_address = false;
  ArgumentSource arguments = ArgumentSource::None;
  bool has_retval = false; // `retval`: the return register at a function's return
  // `func`: the probed function, from the instruction pointer; a kernel
  // symbol, or a user one in user address space.
  bool has_func = false;
  bool can_override_return = false; // override()
  // join()'s argument vector is user memory whatever its type says: the
  // kind's records carry the user's argv (syscall tracepoints).
  bool join_reads_user = false;
  // With -p, the program runs its body only in that process: the kind fires
  // in every process. Probes attached to the process alone, or belonging to
  // none, need no filter.
  bool filters_pid = false;
  // `args`: the probed function's parameters, named and typed by its
  // binary's debug info, read from their argument registers.
  bool args_from_debug_info = false;
  // `args`: the raw tracepoint's arguments, named and typed by the kernel's
  // BTF, each an 8-byte slot of the context.
  bool args_from_btf = false;
  // begin and end: run once, from userspace, as the trace starts or ends;
  // --probe-filter keeps them.
  bool at_start_or_end = false;
  // The mode whose runs load the kind's probes; other runs ignore them.
  // begin and end probes run in every mode.
  RunMode runs_in = RunMode::Trace;
  // comm(pid): the kind's programs may call the kernel's task kfuncs
  // (bpf_task_from_pid); the kernel allows them in tracepoint, perf event
  // and tracing programs, not in raw tracepoint or kprobe ones.
  bool task_kfuncs = false;
  // Keeps running after exit(): end probes, and test and bench probes,
  // which userspace runs one by one. Every other kind returns at once once
  // a probe has called exit() (as bpftrace 0.26), so no map changes after it.
  bool runs_after_exit = false;
  // The last field is a period or count the script chooses: `-l` of a
  // script prints the probe without it ("interval:ms:"), as listings do.
  bool listed_without_count = false;
  // `return expr` sets the program's return value (a test probe fails on a
  // non-zero one); elsewhere programs return 0.
  bool returns_value = false;
  // The program's ELF section, as libbpf names the program types; "sonde"
  // where the provider sets the type and the attach target itself.
  std::string section;

  bool has_args() const { return context == ProbeContext::TracepointRecord; }
  bool has_registers() const { return context == ProbeContext::PtRegs; }
};

// Every probe kind.
const std::vector<ProbeKind> &probe_kinds();

// The kind of a canonical name or an alias, or null.
const ProbeKind *find_probe_kind(const std::string &name);

// "a", "a and b", "a, b and c": the names of the kinds with a property, for
// messages saying where a builtin is available.
std::string probe_kind_names(bool (*has)(const ProbeKind &));

} // namespace sonde
