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
  // inode, size and modification time, whatever the path — and kept. Each
  // kind of question below is indexed on first use.
  static Expected<std::shared_ptr<const ElfSymbols>> read(const std::string &path);

  // The indexes point into the tables: not copyable.
  ElfSymbols(const ElfSymbols &) = delete;
  ElfSymbols(ElfSymbols &&) = default;

  // By name, one symbol per name: .symtab's over .dynsym's over the debug
  // file's. Older versions of versioned dynamic symbols (memcpy@GLIBC_2.2.5
  // beside the default memcpy@@GLIBC_2.14) are left out: programs do not
  // bind to them.
  const std::vector<const ElfSymbol *> &functions() const; // sorted by name
  const ElfSymbol *function(const std::string &name) const;
  const ElfSymbol *object(const std::string &name) const;

  // The function whose [start, start + size) holds `address`, from .symtab
  // (the debug file's when the file has none) and .dynsym; among aliases
  // the public name ("getpid" over "__getpid").
  std::optional<FunctionAt> function_at(uint64_t address) const;

  // Whether the file's addresses count from where it is loaded
  // (ElfFile::load_relative).
  bool load_relative() const { return load_relative_; }
  // The GNU build id in lowercase hex, "" without one.
  const std::string &build_id() const { return build_id_; }

  // The file offset of an address in executable code: where a uprobe goes.
  std::optional<uint64_t> code_offset(uint64_t address) const;
  // The virtual address of an offset into the file, inside one of its
  // loadable segments.
  std::optional<uint64_t> address_of_offset(uint64_t file_offset) const;

private:
  struct TableSymbol {
    ElfSymbol symbol;
    bool function = false;      // else a data object
    unsigned char binding = 0;  // STB_*
    bool older_version = false; // of a versioned dynamic symbol
  };
  struct ByName {
    std::vector<const ElfSymbol *> functions;
    std::vector<const ElfSymbol *> objects;
  };
  struct Addressed {
    uint64_t address;
    uint64_t size; // the largest among the aliases at this address
    const std::string *name;
  };

  ElfSymbols() = default;
  static Expected<ElfSymbols> load(const std::string &path);
  static std::vector<TableSymbol> read_table(const ElfFile &file, uint32_t section_type);
  const std::vector<TableSymbol> &debug_symbols() const;
  const ByName &by_name() const;

  std::vector<TableSymbol> symtab_;
  std::vector<TableSymbol> dynsym_;
  std::vector<ElfSegment> segments_;
  std::string debug_path_; // "" without a debug file
  bool load_relative_ = false;
  std::string build_id_;
  // Read and indexed on first use. Sessions are single-threaded.
  mutable std::optional<std::vector<TableSymbol>> debug_;
  mutable std::optional<ByName> by_name_;
  mutable std::optional<std::vector<Addressed>> by_address_;
};

} // namespace sonde::system
