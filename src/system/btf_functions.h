#pragma once

// Kernel functions in the kernel's BTF (KernelBtf): fentry/fexit targets,
// raw tracepoint prototypes, and C spellings of their argument types for
// `-lv`.

#include "common/expected.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

struct btf;

namespace sonde::system {

// A function's prototype in a module's BTF.
struct BtfFunction {
  const btf *types = nullptr;
  std::string module;    // "vmlinux" or the module's name
  uint32_t func_id = 0;  // the BTF_KIND_FUNC
  uint32_t proto_id = 0; // its BTF_KIND_FUNC_PROTO
};

// Finds `name` in `module`'s BTF, or in vmlinux then every module when
// `module` is empty.
Expected<BtfFunction> kernel_function(const std::string &module, const std::string &name);

// The BTF function through which the kernel calls raw tracepoint programs
// of tracepoint `name` (`__bpf_trace_<name>`): its parameters after the
// first (the tracepoint's private data) are the tracepoint's arguments, in
// the order of a raw tracepoint program's context (u64 each).
Expected<BtfFunction> raw_tracepoint_function(const std::string &name);

// The names of a module's BTF functions that `wanted` accepts, sorted.
std::vector<std::string> kernel_functions(const std::string &module,
                                          const std::function<bool(std::string_view)> &wanted);

// One parameter (or the return value) as `-lv` prints it: "struct sock *"
// and "sk".
struct BtfParameter {
  std::string type;
  std::string name;
};

// The parameters of a FUNC_PROTO, skipping the first `skip` of them (raw
// tracepoint prototypes start with the tracepoint's private `void *`).
std::vector<BtfParameter> btf_parameters(const btf *types, uint32_t proto_id, size_t skip = 0);
// The C spelling of a type: "const char *", "struct sock *", "u64".
std::string btf_type_name(const btf *types, uint32_t type_id);

} // namespace sonde::system
