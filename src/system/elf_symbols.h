#pragma once

// The functions of an executable or shared library, for uprobes, and its
// data objects, for uaddr().

#include "common/expected.h"
#include "system/elf_file.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sonde::system {

struct ElfSymbol {
  std::string name;
  uint64_t address = 0; // virtual address, as `nm` shows it
  uint64_t size = 0;
};

struct BinaryFunctions {
  std::vector<ElfSymbol> symbols; // functions, sorted by name, one per name
  std::vector<ElfSymbol> objects; // data objects, likewise
  std::vector<ElfSegment> segments;

  const ElfSymbol *find(const std::string &name) const;
  const ElfSymbol *find_object(const std::string &name) const;
  // The file offset of an address in executable code: where a uprobe goes.
  std::optional<uint64_t> code_offset(uint64_t address) const;
};

// Defined functions (and GNU indirect functions) and data objects from .symtab and .dynsym,
// plus the .symtab of the file's separate debug file when one is installed
// under /usr/lib/debug/.build-id/. Read once per path and kept.
Expected<std::shared_ptr<const BinaryFunctions>> binary_functions(const std::string &path);

} // namespace sonde::system
