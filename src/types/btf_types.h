#pragma once

// The kernel's types, read from its BTF (/sys/kernel/btf/vmlinux, and the
// split BTF of each loaded module in /sys/kernel/btf/<module>), as
// system::KernelBtf loads it for the whole process.
//
// Everything is lazy: no BTF is read before the first question, module BTF
// only when vmlinux does not have the answer, and types are converted one at
// a time. How kernel C becomes a Type:
//   - structs and unions: Kind::Struct named "struct task_struct" or
//     "union bpf_attr", fields at byte offsets; bitfields as described by
//     types::bitfield (struct_layout.h); unnamed struct and union members
//     flattened into their parent; flexible array members have count 0.
//     An anonymous struct, union or enum behind typedefs takes the
//     outermost typedef's name ("atomic_t"); other anonymous ones have none.
//   - Structs held by value are converted completely. A pointer's pointee
//     struct is only named (is_unresolved_struct()): call resolve() on it
//     before looking at its fields. So `struct task_struct` converts its own
//     fields and those of the structs embedded in it, not the graph of every
//     struct reachable through pointers.
//   - typedefs and const/volatile/restrict are looked through; an integer
//     keeps the name of its outermost typedef ("u64", "pid_t") for messages.
//   - enums are Kind::Integer of the enum's size and signedness, named
//     "enum pid_type"; their enumerators are answered by enum_value().
//   - `void *` and function pointers are pointers to uint8; `char` is int8;
//     `_Bool` is Kind::Bool; floating point and 128-bit integers are opaque
//     byte arrays of their size. A pointer whose pointee is tagged
//     `btf_type_tag("user")` (the kernel's __user) has `user_space` set.

#include "types/type.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonde::system {
class KernelBtf;
}

namespace sonde::types {

class BtfSource;

// A kernel function's or raw tracepoint's parameters as a BPF program
// of that kind reads them from its context.
struct FunctionPrototype {
  // Kind::Record: one field per parameter, named as in the kernel source, at
  // offset 8 × its first slot; each parameter takes one 8-byte slot, a
  // struct of 9 to 16 bytes two.
  TypePtr args;
  TypePtr return_type; // Kind::None for void
  std::string module;  // "vmlinux" or the module defining the function
};

class KernelTypes {
public:
  // The running kernel's types (system::KernelBtf::get()), shared by the
  // process.
  static KernelTypes &get();

  // Types from the BTF files `btf` loads, which outlive this object.
  explicit KernelTypes(system::KernelBtf &btf);
  // Types from the BTF files in `btf_dir`: "vmlinux" and one split BTF per
  // module, named after it.
  explicit KernelTypes(std::string btf_dir);
  ~KernelTypes();
  KernelTypes(const KernelTypes &) = delete;
  KernelTypes &operator=(const KernelTypes &) = delete;

  // Whether vmlinux's BTF can be read (reads it); error() tells why not.
  bool available();
  const std::string &error() const { return error_; }

  // A type by its C name: "struct task_struct", "union bpf_attr",
  // "enum pid_type", a typedef ("u64", "pid_t") or a base type as BTF spells
  // it ("unsigned int", "long int"). Null when no BTF defines it.
  TypePtr find_type(std::string_view c_name);
  bool has_type(std::string_view c_name) { return find_type(c_name) != nullptr; }

  // The complete definition of an unresolved struct (a pointee), or `type`
  // itself when it is not one or no BTF defines it.
  TypePtr resolve(const TypePtr &type);

  // The type of a kernel global variable ("process_counts", a per-CPU
  // `unsigned long`); null when no BTF describes one by that name.
  TypePtr variable_type(std::string_view name);

  // The value of an enumerator of any kernel enum ("TASK_COMM_LEN").
  std::optional<int64_t> enum_value(std::string_view enumerator);
  // The enum type declaring an enumerator.
  TypePtr enumeration(std::string_view enumerator);

  // The parameters of a kernel function (fentry/fexit), or of a raw
  // tracepoint (rawtracepoint, tp_btf) without the tracepoint's leading
  // private `void *`. A raw tracepoint's parameters are named after its
  // `__probestub_<event>` function (Linux 6.4 and later), else arg0, arg1…
  // as its `btf_trace_<event>` typedef has no names.
  std::optional<FunctionPrototype> function_prototype(std::string_view function);
  std::optional<FunctionPrototype> raw_tracepoint_prototype(std::string_view event);

  // C source defining the named types and enumerators (names as for
  // find_type, or enumerator names) and every type they depend on, written
  // by libbpf's btf_dump: a header for Clang when the kernel's own headers
  // are missing. Names no BTF defines are left out.
  std::string c_source(const std::vector<std::string> &names);

private:
  // The index-th BTF to search: 0 is vmlinux, then modules in name order,
  // each read on first use. Null past the last one.
  BtfSource *source(size_t index);
  struct Found {
    BtfSource *source;
    uint32_t id;
  };
  std::optional<Found> locate_type(std::string_view c_name);
  std::optional<Found> locate_enumerator(std::string_view name);

  std::unique_ptr<system::KernelBtf> own_btf_; // when built from a directory
  system::KernelBtf &btf_;
  std::string error_;
  std::vector<std::unique_ptr<BtfSource>> sources_;
  size_t next_module_ = 1; // in btf_.modules(), after "vmlinux"
};

} // namespace sonde::types
