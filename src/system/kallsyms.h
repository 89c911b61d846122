#pragma once

// Kernel addresses to the names in /proc/kallsyms (read once, on first use).

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

// The address of a kernel symbol by name (kaddr()); read from kallsyms
// each time, as it is needed once per script.
std::optional<uint64_t> kernel_symbol_address(std::string_view name,
                                              const std::string &path = "/proc/kallsyms");

class KernelSymbols {
public:
  explicit KernelSymbols(std::string path = "/proc/kallsyms") : path_(std::move(path)) {}
  KernelSymbols(const KernelSymbols &) = delete;
  KernelSymbols &operator=(const KernelSymbols &) = delete;

  // The symbol at or below `address`. kallsyms has no sizes, so an address
  // past the last symbol still belongs to it; none below the first symbol,
  // and none at all when the file shows zero addresses (kptr_restrict).
  std::optional<KernelSymbol> resolve(uint64_t address);

private:
  struct Entry {
    uint64_t address;
    std::string_view name; // into text_
  };

  void load();

  std::string path_;
  bool loaded_ = false;
  std::string text_;
  std::vector<Entry> entries_; // sorted by address, one per address
};

} // namespace sonde::system
