#pragma once

// One probe kind (ARCHITECTURE.md "Two registries"). Each provider lives in
// its own file under src/runtime/probes/ and is registered in registry.cpp.
// The spec half (names, validation, expansion, listing) needs no libbpf; the
// attach half takes libbpf's program handle, forward-declared here.

#include "common/compiled_script.h"
#include "common/expected.h"
#include "common/probe_kind.h"
#include "runtime/probes/attach_point.h"
#include "runtime/probes/link.h"

#include <functional>
#include <linux/bpf.h>
#include <optional>
#include <string_view>
#include <sys/types.h>
#include <vector>

struct bpf_program;

namespace sonde::probes {

// When a provider's programs run.
enum class Trigger {
  Attach,       // on a kernel event, once attached
  BeforeAttach, // once, from userspace, before anything is attached (begin)
  AfterDetach,  // once, from userspace, after everything is detached (end)
  Test,         // once each, from userspace, in --mode test: passes or fails
  Benchmark,    // many times each, from userspace, timed, in --mode bench
};

// What the session knows at attach time.
struct AttachOptions {
  // The traced process (-p PID, or the -c child): uprobes, usdt probes and
  // watchpoints attach to it alone. Unset: uprobes fire in every process.
  std::optional<pid_t> pid;
  // Reports what attaching skipped: sites a wildcard matched that the
  // kernel cannot probe.
  std::function<void(const std::string &)> warn;
};

class Provider {
public:
  virtual ~Provider() = default;

  // The canonical name. Its descriptor, which sema and codegen read too,
  // holds the other spellings accepted for it and what its programs see.
  virtual std::string_view name() const = 0;
  const ProbeKind &kind() const;
  virtual Trigger trigger() const { return Trigger::Attach; }
  // Whether the kernel runs the programs on one attach point last attached
  // first (uprobe consumers); the session then attaches them in reverse so
  // that they run in script order.
  virtual bool runs_last_attached_first() const { return false; }

  // Validates a parsed spec and returns its canonical form; wildcards are
  // accepted only by providers whose expand() resolves them.
  virtual Expected<AttachPointSpec> canonicalize(AttachPointSpec spec) const = 0;
  // The concrete attach points a canonical spec stands for.
  virtual Expected<std::vector<AttachPointSpec>> expand(const AttachPointSpec &spec) const {
    return std::vector<AttachPointSpec>{spec};
  }
  // The attach points `-l` may show for a pattern's fields (the caller
  // filters them with the whole pattern). Providers whose set is large or
  // depends on a file (a uprobe's binary) use the pattern to narrow what
  // they read; kinds without a fixed set list none.
  virtual std::vector<AttachPointSpec> list(const std::vector<std::string> &pattern) const {
    return {};
  }
  // `-lv`: one "type name" line per argument of a listed attach point.
  virtual std::vector<std::string> describe(const AttachPointSpec &spec) const { return {}; }
  // Why attaching to an expanded spec could harm the traced program (it
  // then needs --unsafe); empty when it is safe.
  virtual std::string unsafe_attach(const AttachPointSpec &spec) const { return ""; }

  virtual bpf_prog_type program_type(const ProgramInfo &program) const = 0;
  // Before the object loads: tells libbpf what else the kernel must know
  // about the program at load time (attach type, attach target).
  virtual Status prepare(bpf_program *program, const ProgramInfo &info) const { return {}; }
  // Attaches a loaded program to its targets, appending the links it made,
  // and returns how many targets it attached (fewer when it skipped some,
  // with a warning). On failure the links it made are dropped again.
  virtual Expected<size_t> attach(bpf_program *program, const ProgramInfo &info,
                                  const AttachOptions &options, std::vector<Link> &links) const = 0;
  // The address a target watches, for unwatch(): only watchpoints, whose
  // attach() makes one link per target, in the targets' order.
  virtual std::optional<uint64_t> watched_address(const AttachTarget &target) const {
    return std::nullopt;
  }
};

// A provider that attaches each target on its own.
class PerTargetProvider : public Provider {
public:
  Expected<size_t> attach(bpf_program *program, const ProgramInfo &info,
                          const AttachOptions &options, std::vector<Link> &links) const final;

protected:
  virtual Status attach_target(bpf_program *program, const ProgramInfo &info,
                               const AttachTarget &target, const AttachOptions &options,
                               std::vector<Link> &links) const = 0;
};

// The provider of a probe kind, by its canonical name or an alias, or null.
const Provider *find_provider(std::string_view name);
const std::vector<const Provider *> &all_providers();

// Providers, one function per file, listed in registry.cpp.
const Provider &begin_provider();
const Provider &end_provider();
const Provider &test_provider();
const Provider &bench_provider();
const Provider &tracepoint_provider();
const Provider &rawtracepoint_provider();
const Provider &interval_provider();
const Provider &profile_provider();
const Provider &software_provider();
const Provider &hardware_provider();
const Provider &uprobe_provider();
const Provider &uretprobe_provider();
const Provider &usdt_provider();
const Provider &kprobe_provider();
const Provider &kretprobe_provider();
const Provider &fentry_provider();
const Provider &fexit_provider();
const Provider &watchpoint_provider();
const Provider &self_provider();

} // namespace sonde::probes
