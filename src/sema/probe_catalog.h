#pragma once

// What sema needs to know about attach points, answered by the probe
// providers (src/runtime/probes) without sema depending on them.

#include "common/probe_kind.h"
#include "types/type.h"

#include <string>
#include <vector>

namespace sonde::sema {

// One concrete attach point after wildcard expansion.
struct ProbeTarget {
  std::string provider; // canonical: "begin", "end", "tracepoint", "interval", …
  std::string spec;     // full text as `probe` prints it: "tracepoint:sched:sched_switch"
  std::vector<std::string> fields; // the spec's fields after the provider
};

// Where a USDT probe's argument is, at a site: what codegen reads for argN.
struct MachineArgument {
  enum class Kind { Constant, Register, Memory } kind = Kind::Constant;
  uint32_t size = 8; // 1, 2, 4 or 8 bytes
  bool is_signed = false;
  int64_t value = 0;            // Constant: the value; Memory: the displacement
  bool has_register = true;     // Memory: false for `(,%rax,8)`, no base register
  uint32_t register_offset = 0; // Register and Memory: offset in struct pt_regs
  uint32_t scale = 0;           // Memory: adds index * scale when not 0
  uint32_t index_register_offset = 0;
};

// USDT sites that share where their arguments are.
struct ArgumentLayout {
  std::string sites; // the sites field to append to the target
  std::vector<MachineArgument> arguments;
};

struct Expansion {
  std::vector<ProbeTarget> targets;
  std::string error;    // non-empty when the attach point is invalid or matches nothing
  bool missing = false; // valid, but what it names does not exist here
  // When missing: the kind of probe and the fields, as for ProbeTarget.
  const ProbeKind *kind = nullptr;
  std::vector<std::string> fields;
  // When missing: the attach points that exist with every field but the
  // last as written, for a did-you-mean.
  std::vector<std::string> alternatives;
};

class ProbeCatalog {
public:
  virtual ~ProbeCatalog() = default;

  // Validates an attach point as written and expands its wildcards.
  virtual Expansion expand(const std::string &attach_point) = 0;

  // The `args` record of a tracepoint: a Struct type whose fields are the
  // event's format fields at their record offsets. Null when unknown.
  virtual types::TypePtr tracepoint_args(const std::string &category, const std::string &event) = 0;

  // The argument layouts of a usdt target (provider "usdt"), one per set of
  // sites that keep their arguments alike. Empty when unknown.
  virtual std::vector<ArgumentLayout> usdt_layouts(const ProbeTarget &target) { return {}; }

  // The `args` record of a user function's entry whose parameters its
  // binary's debug info describes (ProbeKind::args_from_debug_info): each
  // parameter a field at the offset of its argument register in struct
  // pt_regs, the program's context. Of a raw tracepoint
  // (ProbeKind::args_from_btf): its arguments as the kernel's BTF declares
  // them, one 8-byte context slot each. Null when unknown.
  virtual types::TypePtr function_args(const ProbeTarget &target) { return nullptr; }

  // A type that the debug info of a probed binary defines by its C name
  // ("struct Foo"), for casts in that binary's probes. Null when unknown.
  virtual types::TypePtr user_type(const std::string &binary, const std::string &c_name) {
    return nullptr;
  }

  // Why attaching to `target` could harm the traced program, so that it
  // needs --unsafe ("Could not determine boundary for f (symbol has size
  // 0)."); empty when it is safe.
  virtual std::string unsafe_attach(const ProbeTarget &target) { return ""; }
};

} // namespace sonde::sema
