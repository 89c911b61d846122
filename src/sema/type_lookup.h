#pragma once

// Names of C types and constants a script can use: its own C definitions
// (and the headers they include) first, then the kernel's BTF.

#include "common/diagnostics.h"
#include "types/type.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sonde::types {
class CTypes;
}

namespace sonde::ast {
struct Program;
}

namespace sonde::sema {

struct CIncludeOptions {
  std::vector<std::string> include_dirs;    // -I
  std::vector<std::string> forced_includes; // --include
};

// A function of an imported `.bpf.c` file.
struct CFunction {
  types::TypePtr result;
  std::vector<types::TypePtr> params;
};

class TypeLookup {
public:
  TypeLookup();
  ~TypeLookup();
  TypeLookup(TypeLookup &&) noexcept;
  TypeLookup &operator=(TypeLookup &&) noexcept;

  // Parses the script's C definitions (Clang is loaded only when there are
  // some); problems are reported in `diags`.
  void load_script_definitions(const ast::Program &program, const CIncludeOptions &options,
                               Diagnostics &diags);

  // "struct task_struct", "pid_t", …; null when nothing defines it.
  types::TypePtr find(const std::string &c_name);
  // Whether the script's C definitions define this type ("struct x"): its
  // layout is the script's, not the kernel's.
  bool defined_by_script(const std::string &c_name);
  // Completes a struct known only by name (the pointee of a pointer).
  types::TypePtr resolve(const types::TypePtr &type);
  // An enumerator or #define constant.
  std::optional<int64_t> constant(const std::string &name);
  // The enum type of an enumerator constant; null for other constants.
  types::TypePtr constant_type(const std::string &name);
  // A function an imported `.bpf.c` file defines.
  std::optional<CFunction> function(const std::string &name);

private:
  std::unique_ptr<types::CTypes> script_;
};

} // namespace sonde::sema
