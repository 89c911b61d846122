#include "runtime/symbols/user_symbols.h"

#include "runtime/symbols/demangle.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

namespace sonde::symbols {

namespace {

constexpr std::string_view kDeleted = " (deleted)";

std::string read_file(const std::string &path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

} // namespace

void UserSymbols::remember(uint64_t pid) {
  if (read_maps(pid, processes_[pid]))
    std::erase_if(unknown_, [pid](const auto &entry) { return entry.first == pid; });
}

std::optional<UserSymbol> UserSymbols::resolve(uint64_t pid, uint64_t address) {
  auto [found, inserted] = processes_.try_emplace(pid);
  Process &process = found->second;
  if (inserted)
    read_maps(pid, process);
  if (auto symbol = lookup(process, address))
    return symbol;
  if (unknown_.count({pid, address}))
    return std::nullopt;
  if (read_maps(pid, process)) {
    std::erase_if(unknown_, [pid](const auto &entry) { return entry.first == pid; });
    if (auto symbol = lookup(process, address))
      return symbol;
  }
  unknown_.insert({pid, address});
  return std::nullopt;
}

// Returns whether the mappings changed. A line reads
//   55d0c6a0e000-55d0c6a10000 r-xp 00002000 fd:01 1234567    /usr/bin/cat
bool UserSymbols::read_maps(uint64_t pid, Process &process) {
  std::string text = read_file("/proc/" + std::to_string(pid) + "/maps");
  // An exited process (or a zombie) shows no mappings: keep the old ones.
  if (text.empty() || text == process.maps)
    return false;
  std::vector<Mapping> mappings;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string range, perms, offset, device, inode, path;
    fields >> range >> perms >> offset >> device >> inode;
    std::getline(fields >> std::ws, path);
    size_t dash = range.find('-');
    if (perms.size() < 3 || perms[2] != 'x' || path.empty() || path[0] != '/' ||
        dash == std::string::npos)
      continue;
    if (path.ends_with(kDeleted))
      path.resize(path.size() - kDeleted.size());
    Mapping mapping;
    mapping.start = std::stoull(range.substr(0, dash), nullptr, 16);
    mapping.end = std::stoull(range.substr(dash + 1), nullptr, 16);
    mapping.offset = std::stoull(offset, nullptr, 16);
    mapping.symbols = symbols_of(pid, range, device + " " + inode, path);
    mapping.path = std::move(path);
    mappings.push_back(std::move(mapping));
  }
  std::sort(mappings.begin(), mappings.end(),
            [](const Mapping &a, const Mapping &b) { return a.start < b.start; });
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

std::optional<UserSymbol> UserSymbols::lookup(const Process &process, uint64_t address) {
  auto above =
      std::upper_bound(process.mappings.begin(), process.mappings.end(), address,
                       [](uint64_t a, const Mapping &mapping) { return a < mapping.start; });
  if (above == process.mappings.begin())
    return std::nullopt;
  const Mapping &mapping = *std::prev(above);
  if (address >= mapping.end || !mapping.symbols)
    return std::nullopt;
  auto elf_address = mapping.symbols->address_of_offset(address - mapping.start + mapping.offset);
  if (!elf_address)
    return std::nullopt;
  auto function = mapping.symbols->function_at(*elf_address);
  if (!function)
    return std::nullopt;
  return UserSymbol{demangle(function->name), function->offset, mapping.path};
}

} // namespace sonde::symbols
