#pragma once

// The kernel's symbols as /proc/kallsyms lists them, read once on first use
// and kept: addresses to names (ksym(), kernel stacks), names to addresses
// (kaddr()), and the kernel's functions (kprobe targets when tracefs cannot
// list them).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonde::system {

struct KernelSymbol {
  std::string_view name;
  uint64_t offset = 0; // of the address from the symbol's start
};

struct KernelFunction {
  std::string name;
  std::string module; // empty for the kernel itself

  bool operator<(const KernelFunction &other) const {
    return module != other.module ? module < other.module : name < other.name;
  }
  bool operator==(const KernelFunction &) const = default;
};

class Kallsyms {
public:
  // The running kernel's (/proc/kallsyms), shared by the process.
  static Kallsyms &get();

  explicit Kallsyms(std::string path) : path_(std::move(path)) {}
  Kallsyms(const Kallsyms &) = delete;
  Kallsyms &operator=(const Kallsyms &) = delete;

  // The symbol at or below `address`. kallsyms has no sizes, so an address
  // past the last symbol still belongs to it; none below the first symbol,
  // and none at all when the file shows zero addresses (kptr_restrict).
  std::optional<KernelSymbol> symbol_at(uint64_t address);
  // The address of the first symbol listed with this name; none when the
  // file hides addresses.
  std::optional<uint64_t> address_of(std::string_view name);
  // The text symbols (t, T) without the __pfx_/__cfi_ padding symbols,
  // sorted by module ("" first) then name, one of each.
  const std::vector<KernelFunction> &functions();

private:
  // One line, in file order. Names are kept as offsets into text_, which
  // keeps an entry at 24 bytes: kallsyms has a hundred thousand lines.
  struct Entry {
    uint64_t address;
    uint32_t name;
    uint32_t module; // 0 when the symbol is the kernel's own
    uint16_t name_size;
    uint8_t module_size;
    char type;
  };

  void load();
  std::string_view name(const Entry &entry) const;
  std::string_view module(const Entry &entry) const;

  std::string path_;
  bool loaded_ = false;
  std::string text_;
  std::vector<Entry> entries_;
  // Indexes into entries_ of the nonzero addresses, sorted by address, the
  // first listed of each address only; built on first use.
  std::vector<uint32_t> by_address_;
  bool by_address_built_ = false;
  std::vector<KernelFunction> functions_;
  bool functions_built_ = false;
};

} // namespace sonde::system
