#pragma once

// A script's C: struct, union, enum and typedef definitions, `#include`
// lines (searched in -I directories, plus files forced with --include) and
// `#define NAME value` constants, read by Clang into the same Type model as
// kernel BTF (see btf_types.h for how C becomes a Type; pointee structs are
// left unresolved the same way, complete them with CTypes::resolve).
//
// Clang is libclang-19, opened with dlopen by the first parse: scripts
// without C definitions never load it.
//
// Kernel headers are missing on most machines. A header that is not found
// is replaced by an empty one, with a warning, when the kernel has BTF; then
// every type or enumerator the C still lacks ("unknown type name 'u64'",
// "incomplete type 'struct path'") and the kernel's BTF defines is written
// as C from BTF (KernelTypes::c_source) in front of the script's C, and
// Clang parses again. So `#include <linux/path.h>` followed by
// `struct x { struct path p; }` works without the header, as does a script
// that names kernel types without including anything.

#include "types/type.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonde::types {

class KernelTypes;

// One piece of the script's C as written: a preprocessor line or a
// definition (a missing final `;` is supplied), and where it starts in the
// script, for diagnostics.
struct CSource {
  std::string text;
  int line = 1;
  int column = 1;
  std::string file; // an imported script it is in; empty for the script
};

struct CParseOptions {
  std::string file_name = "stdin";          // the script, as diagnostics name it
  std::vector<std::string> include_dirs;    // -I
  std::vector<std::string> forced_includes; // --include, before the script's C
  // Files whose function definitions the script calls (imported `.bpf.c`).
  std::vector<std::string> function_files;
  // Where missing headers and types come from; null for none.
  KernelTypes *kernel = nullptr;
};

// A place in the script (through its line markers) or in a header.
struct CDiagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
};

// The types and constants of a parse. Types are converted on first request.
class CTypes {
public:
  CTypes();
  ~CTypes();
  CTypes(CTypes &&) noexcept;
  CTypes &operator=(CTypes &&) noexcept;

  // "struct S", "union U", "enum E" or a typedef name, defined by the
  // script, a header it includes or the BTF-generated C. Null otherwise.
  TypePtr find_type(std::string_view c_name);
  // The definition of an unresolved struct (a pointee), or `type` itself.
  TypePtr resolve(const TypePtr &type);

  // An integer `#define` (of the script or a header; expressions of other
  // macros and enumerators included) or an enumerator.
  std::optional<int64_t> constant(std::string_view name) const;
  const std::map<std::string, int64_t, std::less<>> &constants() const;
  // The enum type declaring an enumerator; null for other constants.
  TypePtr enumeration(std::string_view enumerator);

  // A function defined in one of CParseOptions::function_files.
  struct Function {
    TypePtr result;
    std::vector<TypePtr> params;
  };
  std::optional<Function> function(std::string_view name);

  struct State;

private:
  friend class CParser;
  explicit CTypes(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

struct CParseResult {
  CTypes types;
  std::vector<CDiagnostic> errors;   // Clang's errors; the types are empty then
  std::vector<CDiagnostic> warnings; // headers replaced by BTF
};

// Parses `sources` in order, after `options.forced_includes`.
CParseResult parse_c_definitions(const std::vector<CSource> &sources, const CParseOptions &options);

} // namespace sonde::types
