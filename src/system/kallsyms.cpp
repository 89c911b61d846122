#include "system/kallsyms.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>

namespace sonde::system {

namespace {

// One line of kallsyms: "ffffffff81234560 T vfs_read" with "\t[module]"
// after the name for modules.
bool parse_line(std::string_view line, uint64_t &address, std::string_view &name) {
  size_t space = line.find(' ');
  if (space == std::string_view::npos || line.size() < space + 4 || line[space + 2] != ' ')
    return false;
  auto [end, error] = std::from_chars(line.data(), line.data() + space, address, 16);
  if (error != std::errc() || end != line.data() + space)
    return false;
  name = line.substr(space + 3);
  name = name.substr(0, name.find('\t'));
  return !name.empty();
}

} // namespace

std::optional<uint64_t> kernel_symbol_address(std::string_view name, const std::string &path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    uint64_t address;
    std::string_view symbol;
    if (parse_line(line, address, symbol) && symbol == name && address != 0)
      return address;
  }
  return std::nullopt;
}

void KernelSymbols::load() {
  loaded_ = true;
  std::ifstream in(path_, std::ios::binary);
  text_.assign(std::istreambuf_iterator<char>(in), {});
  std::string_view text = text_;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    uint64_t address;
    std::string_view name;
    if (parse_line(line, address, name) && address != 0)
      entries_.push_back(Entry{address, name});
  }
  // Aliases share an address; the first one listed names it.
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const Entry &a, const Entry &b) { return a.address < b.address; });
  entries_.erase(std::unique(entries_.begin(), entries_.end(),
                             [](const Entry &a, const Entry &b) { return a.address == b.address; }),
                 entries_.end());
}

std::optional<KernelSymbol> KernelSymbols::resolve(uint64_t address) {
  if (!loaded_)
    load();
  auto above = std::upper_bound(entries_.begin(), entries_.end(), address,
                                [](uint64_t a, const Entry &entry) { return a < entry.address; });
  if (above == entries_.begin())
    return std::nullopt;
  const Entry &entry = *std::prev(above);
  return KernelSymbol{entry.name, address - entry.address};
}

} // namespace sonde::system
