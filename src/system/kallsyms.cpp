#include "system/kallsyms.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>

namespace sonde::system {

namespace {

struct Line {
  uint64_t address;
  char type;
  std::string_view name;
  std::string_view module;
};

// One line of kallsyms: "ffffffff81234560 T vfs_read", with "\t[module]"
// after the name for modules.
std::optional<Line> parse_line(std::string_view line) {
  size_t space = line.find(' ');
  if (space == std::string_view::npos || line.size() < space + 4 || line[space + 2] != ' ')
    return std::nullopt;
  Line parsed{0, line[space + 1], line.substr(space + 3), {}};
  auto [end, error] = std::from_chars(line.data(), line.data() + space, parsed.address, 16);
  if (error != std::errc() || end != line.data() + space)
    return std::nullopt;
  if (size_t tab = parsed.name.find('\t'); tab != std::string_view::npos) {
    std::string_view module = parsed.name.substr(tab + 1);
    parsed.name = parsed.name.substr(0, tab);
    if (module.size() >= 2 && module.front() == '[' && module.back() == ']')
      parsed.module = module.substr(1, module.size() - 2);
  }
  if (parsed.name.empty())
    return std::nullopt;
  return parsed;
}

} // namespace

Kallsyms &Kallsyms::get() {
  static Kallsyms kernel("/proc/kallsyms");
  return kernel;
}

void Kallsyms::load() {
  loaded_ = true;
  std::ifstream in(path_, std::ios::binary);
  text_.assign(std::istreambuf_iterator<char>(in), {});
  std::string_view text = text_;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    auto parsed = parse_line(line);
    if (!parsed || parsed->name.size() > UINT16_MAX || parsed->module.size() > UINT8_MAX)
      continue;
    auto offset = [&](std::string_view part) {
      return part.empty() ? 0 : static_cast<uint32_t>(part.data() - text_.data());
    };
    entries_.push_back(Entry{parsed->address, offset(parsed->name), offset(parsed->module),
                             static_cast<uint16_t>(parsed->name.size()),
                             static_cast<uint8_t>(parsed->module.size()), parsed->type});
  }
}

std::string_view Kallsyms::name(const Entry &entry) const {
  return std::string_view(text_).substr(entry.name, entry.name_size);
}

std::string_view Kallsyms::module(const Entry &entry) const {
  return std::string_view(text_).substr(entry.module, entry.module_size);
}

std::optional<KernelSymbol> Kallsyms::symbol_at(uint64_t address) {
  if (!loaded_)
    load();
  if (!by_address_built_) {
    by_address_built_ = true;
    for (uint32_t i = 0; i < entries_.size(); i++)
      if (entries_[i].address != 0)
        by_address_.push_back(i);
    // Aliases share an address; the first one listed names it.
    auto address = [this](uint32_t index) { return entries_[index].address; };
    std::stable_sort(by_address_.begin(), by_address_.end(),
                     [&](uint32_t a, uint32_t b) { return address(a) < address(b); });
    by_address_.erase(std::unique(by_address_.begin(), by_address_.end(),
                                  [&](uint32_t a, uint32_t b) { return address(a) == address(b); }),
                      by_address_.end());
  }
  auto above =
      std::upper_bound(by_address_.begin(), by_address_.end(), address,
                       [this](uint64_t a, uint32_t index) { return a < entries_[index].address; });
  if (above == by_address_.begin())
    return std::nullopt;
  const Entry &entry = entries_[*std::prev(above)];
  return KernelSymbol{name(entry), address - entry.address};
}

std::optional<uint64_t> Kallsyms::address_of(std::string_view symbol) {
  if (!loaded_)
    load();
  for (const Entry &entry : entries_)
    if (entry.address != 0 && name(entry) == symbol)
      return entry.address;
  return std::nullopt;
}

const std::vector<KernelFunction> &Kallsyms::functions() {
  if (!loaded_)
    load();
  if (!functions_built_) {
    functions_built_ = true;
    for (const Entry &entry : entries_) {
      std::string_view symbol = name(entry);
      if ((entry.type != 't' && entry.type != 'T') || symbol.starts_with("__pfx_") ||
          symbol.starts_with("__cfi_"))
        continue;
      functions_.push_back(KernelFunction{std::string(symbol), std::string(module(entry))});
    }
    std::sort(functions_.begin(), functions_.end());
    functions_.erase(std::unique(functions_.begin(), functions_.end()), functions_.end());
  }
  return functions_;
}

} // namespace sonde::system
