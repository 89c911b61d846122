#pragma once

// The symbols of an executable or shared library, read once for every use:
// by name, its functions for uprobes and its data objects for uaddr(); by
// address, its functions for user stacks and usym().

#include "common/expected.h"
#include "system/elf_file.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sonde::system {

struct ElfSymbol {
  std::string name;     // as in the symbol table (mangled)
  uint64_t address = 0; // virtual address, as `nm` shows it
  uint64_t size = 0;
};

struct FunctionAt {
  const std::string &name;
  uint64_t offset = 0; // of the address from the function's start
};

class ElfSymbols {
public:
  // The defined functions (and GNU indirect functions) and data objects of
  // the file's .symtab and .dynsym, and of the .symtab of its separate debug
  // file (ElfFile::debug_file_path). Read once per file — the same device,
  // inode, size and modification time, whatever the path — and kept.
  static Expected<std::shared_ptr<const ElfSymbols>> read(const std::string &path);

  // By name, one symbol per name: .symtab's over .dynsym's over the debug
  // file's. Older versions of versioned dynamic symbols (memcpy@GLIBC_2.2.5
  // beside the default memcpy@@GLIBC_2.14) are left out: programs do not
  // bind to them.
  const std::vector<ElfSymbol> &functions() const { return functions_; } // sorted by name
  const ElfSymbol *function(const std::string &name) const;
  const ElfSymbol *object(const std::string &name) const;

  // The function whose [start, start + size) holds `address`, from .symtab
  // (the debug file's when the file has none) and .dynsym; among aliases
  // the public name ("getpid" over "__getpid").
  std::optional<FunctionAt> function_at(uint64_t address) const;

  // The file offset of an address in executable code: where a uprobe goes.
  std::optional<uint64_t> code_offset(uint64_t address) const;
  // The virtual address of an offset into the file, inside one of its
  // loadable segments.
  std::optional<uint64_t> address_of_offset(uint64_t file_offset) const;

private:
  static Expected<ElfSymbols> load(const std::string &path);

  std::vector<ElfSymbol> functions_; // sorted by name
  std::vector<ElfSymbol> objects_;   // sorted by name
  std::vector<ElfSymbol> by_address_;
  std::vector<ElfSegment> segments_;
};

} // namespace sonde::system
