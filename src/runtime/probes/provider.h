#pragma once

// One probe kind (ARCHITECTURE.md "Two registries"). Each provider lives in
// its own file under src/runtime/probes/ and is registered in registry.cpp.
// The spec half (names, validation, expansion, listing) needs no libbpf; the
// attach half takes libbpf's program handle, forward-declared here.

#include "codegen/compiled_script.h"
#include "runtime/expected.h"
#include "runtime/probes/attach_point.h"
#include "runtime/probes/link.h"

#include <linux/bpf.h>
#include <string_view>
#include <vector>

struct bpf_program;

namespace sonde::probes {

// When a provider's programs run.
enum class Trigger {
  Attach,       // on a kernel event, once attached
  BeforeAttach, // once, from userspace, before anything is attached (begin)
  AfterDetach,  // once, from userspace, after everything is detached (end)
};

class Provider {
public:
  virtual ~Provider() = default;

  // The canonical name and every other spelling accepted for it.
  virtual std::string_view name() const = 0;
  virtual std::vector<std::string_view> aliases() const { return {}; }
  virtual Trigger trigger() const { return Trigger::Attach; }

  // Validates a parsed spec and returns its canonical form; wildcards are
  // accepted only by providers whose expand() resolves them.
  virtual runtime::Expected<AttachPointSpec> canonicalize(AttachPointSpec spec) const = 0;
  // The concrete attach points a canonical spec stands for.
  virtual runtime::Expected<std::vector<AttachPointSpec>>
  expand(const AttachPointSpec &spec) const {
    return std::vector<AttachPointSpec>{spec};
  }
  // The attach points `-l` shows; kinds without a fixed set list none.
  virtual std::vector<AttachPointSpec> list() const { return {}; }

  virtual bpf_prog_type program_type(const codegen::ProgramInfo &program) const = 0;
  // Attaches a loaded program to one target, appending the links it made.
  virtual runtime::Status attach(bpf_program *program, const codegen::ProgramInfo &info,
                                 const codegen::AttachTarget &target,
                                 std::vector<Link> &links) const = 0;
};

// The provider for a canonical name or alias, or null.
const Provider *find_provider(std::string_view name);
const std::vector<const Provider *> &all_providers();

// Providers, one function per file, listed in registry.cpp.
const Provider &begin_provider();
const Provider &end_provider();
const Provider &tracepoint_provider();
const Provider &rawtracepoint_provider();
const Provider &interval_provider();
const Provider &profile_provider();
const Provider &software_provider();

} // namespace sonde::probes
