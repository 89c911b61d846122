#include "runtime/symbols/user_symbols.h"

#include "runtime/symbols/demangle.h"
#include "system/process_maps.h"

#include <algorithm>

namespace sonde::symbols {

void UserSymbols::remember(uint64_t pid) {
  if (read_maps(pid, processes_[pid]))
    std::erase_if(unknown_, [pid](const auto &entry) { return entry.first == pid; });
}

std::optional<UserSymbol> UserSymbols::resolve(uint64_t pid, uint64_t address, bool with_sources) {
  auto [found, inserted] = processes_.try_emplace(pid);
  Process &process = found->second;
  if (inserted)
    read_maps(pid, process);
  if (auto symbol = lookup(process, address, with_sources))
    return symbol;
  if (unknown_.count({pid, address}))
    return std::nullopt;
  if (read_maps(pid, process)) {
    std::erase_if(unknown_, [pid](const auto &entry) { return entry.first == pid; });
    if (auto symbol = lookup(process, address, with_sources))
      return symbol;
  }
  unknown_.insert({pid, address});
  return std::nullopt;
}

std::optional<FileLocation> UserSymbols::file_location(uint64_t pid, uint64_t address) {
  auto [found, inserted] = processes_.try_emplace(pid);
  Process &process = found->second;
  if (inserted)
    read_maps(pid, process);
  const Mapping *mapping = mapping_at(process, address);
  if (!mapping && read_maps(pid, process))
    mapping = mapping_at(process, address);
  if (!mapping)
    return std::nullopt;
  return FileLocation{mapping->symbols ? mapping->symbols->build_id() : "",
                      address - mapping->start + mapping->offset};
}

const UserSymbols::Mapping *UserSymbols::mapping_at(const Process &process, uint64_t address) {
  auto above =
      std::upper_bound(process.mappings.begin(), process.mappings.end(), address,
                       [](uint64_t a, const Mapping &mapping) { return a < mapping.start; });
  if (above == process.mappings.begin() || address >= std::prev(above)->end)
    return nullptr;
  return &*std::prev(above);
}

// Returns whether the mappings changed. Earlier mappings that no new one
// overlaps are kept: addresses recorded before the process ran another
// program (exec) still name what was there.
bool UserSymbols::read_maps(uint64_t pid, Process &process) {
  std::string text = system::read_process_maps(pid);
  // An exited process (or a zombie) shows no mappings: keep the old ones.
  if (text.empty() || text == process.maps)
    return false;
  std::vector<Mapping> mappings;
  for (system::CodeMapping &code : system::code_mappings(text)) {
    Mapping mapping;
    mapping.start = code.start;
    mapping.end = code.end;
    mapping.offset = code.offset;
    mapping.symbols = symbols_of(pid, code.range, code.file_id, code.path);
    mapping.mapped_file = "/proc/" + std::to_string(pid) + "/map_files/" + code.range;
    mapping.file_id = code.file_id;
    mapping.path = std::move(code.path);
    mappings.push_back(std::move(mapping));
  }
  auto by_start = [](const Mapping &a, const Mapping &b) { return a.start < b.start; };
  std::sort(mappings.begin(), mappings.end(), by_start);
  size_t current = mappings.size();
  for (Mapping &earlier : process.mappings) {
    auto above = std::upper_bound(mappings.begin(), mappings.begin() + current, earlier, by_start);
    bool overlaps = (above != mappings.begin() + current && above->start < earlier.end) ||
                    (above != mappings.begin() && std::prev(above)->end > earlier.start);
    if (!overlaps)
      mappings.push_back(std::move(earlier));
  }
  std::sort(mappings.begin(), mappings.end(), by_start);
  process.maps = std::move(text);
  process.mappings = std::move(mappings);
  return true;
}

// map_files/ opens the very file mapped, even when it was deleted or lives in
// another mount namespace; the path is the fallback.
std::shared_ptr<const system::ElfSymbols> UserSymbols::symbols_of(uint64_t pid,
                                                                  const std::string &range,
                                                                  const std::string &file_id,
                                                                  const std::string &path) {
  if (auto cached = files_.find(file_id); cached != files_.end())
    return cached->second;
  auto read = system::ElfSymbols::read("/proc/" + std::to_string(pid) + "/map_files/" + range);
  if (!read)
    read = system::ElfSymbols::read(path);
  std::shared_ptr<const system::ElfSymbols> symbols = read ? *read : nullptr;
  files_.emplace(file_id, symbols);
  return symbols;
}

system::SourceFrames *UserSymbols::sources_of(const Mapping &mapping) {
  auto [found, inserted] = sources_.try_emplace(mapping.file_id);
  if (inserted) {
    found->second = system::SourceFrames::open(mapping.mapped_file);
    if (!found->second)
      found->second = system::SourceFrames::open(mapping.path);
  }
  return found->second.get();
}

std::optional<UserSymbol> UserSymbols::lookup(const Process &process, uint64_t address,
                                              bool with_sources) {
  const Mapping *found = mapping_at(process, address);
  if (!found || !found->symbols)
    return std::nullopt;
  const Mapping &mapping = *found;
  auto elf_address = mapping.symbols->address_of_offset(address - mapping.start + mapping.offset);
  if (!elf_address)
    return std::nullopt;
  auto function = mapping.symbols->function_at(*elf_address);
  if (!function)
    return std::nullopt;
  UserSymbol symbol;
  symbol.name = demangle_ ? demangle(function->name) : function->name;
  symbol.offset = function->offset;
  symbol.module = mapping.path;
  if (with_sources)
    if (system::SourceFrames *sources = sources_of(mapping))
      symbol.sources = sources->at(*elf_address);
  return symbol;
}

} // namespace sonde::symbols
