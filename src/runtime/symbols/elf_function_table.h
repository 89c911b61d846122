#pragma once

// The functions of one executable or shared library by address, to name the
// instruction pointers of user stacks and usym().

#include "common/expected.h"
#include "system/elf_file.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sonde::symbols {

struct FunctionAt {
  const std::string &name; // as in the symbol table (mangled)
  uint64_t offset = 0;     // of the address from the function's start
};

class ElfFunctionTable {
public:
  struct Function {
    uint64_t address = 0;
    uint64_t size = 0;
    std::string name;
  };

  // Functions from .symtab and .dynsym, and from the separate debug file
  // under /usr/lib/debug/.build-id/ when the file has no .symtab.
  static Expected<std::shared_ptr<const ElfFunctionTable>> load(const std::string &path);

  // The virtual address (as `nm` shows them) of an offset into the file,
  // inside one of its loadable segments.
  std::optional<uint64_t> address_of_offset(uint64_t file_offset) const;
  // The function whose [start, start + size) holds `address`.
  std::optional<FunctionAt> function_at(uint64_t address) const;

private:
  std::vector<Function> functions_; // sorted by address, one per address
  std::vector<system::ElfSegment> segments_;
};

// The C++ name behind a mangled symbol ("_ZN2ns1fEv" → "ns::f()"); other
// names unchanged.
std::string demangle(const std::string &name);

} // namespace sonde::symbols
