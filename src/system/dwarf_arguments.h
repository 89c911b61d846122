#pragma once

// The parameters of a user-space function as its DWARF debug info declares
// them (libdw), for `-lv` on uprobes. The debug info is the binary's own or
// that of its separate debug file under /usr/lib/debug/.build-id/.

#include "system/dwarf_type.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sonde::system {

struct DwarfParameter {
  std::string type; // as bpftrace prints it: "const char*", "int (*)(int, char)"
  std::string name; // empty for an unnamed parameter
  DwarfTypePtr layout;
};

// The parameters of the function at `address` in the binary at `path`, or,
// when no function starts there, of the one named `name` (its symbol, or
// its name in the source). Empty when the binary has no debug info or the
// debug info does not describe the function. The debug info of a path is
// read once and kept.
std::vector<DwarfParameter> dwarf_parameters(const std::string &path, const std::string &name,
                                             std::optional<uint64_t> address);

// The type the binary's debug info defines by a C name: "struct Foo",
// "union U", "enum E" or a typedef; null when none does (declarations only
// do not count).
DwarfTypePtr dwarf_named_type(const std::string &path, const std::string &c_name);

} // namespace sonde::system
