#pragma once

// User addresses to function names, per process: the executable mappings of
// /proc/PID/maps and the function tables of the mapped files. A process's
// snapshot is kept after it exits, so its stacks still resolve at print time
// when it was remembered while alive.

#include "system/elf_symbols.h"
#include "system/source_frames.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace sonde::symbols {

// Where an address is in the file mapped there (ustack's build_id mode).
struct FileLocation {
  std::string build_id; // lowercase hex, "" when the file has none
  uint64_t offset = 0;  // into the file
};

struct UserSymbol {
  std::string name; // demangled unless keep_mangled_names() was called
  uint64_t offset = 0;
  std::string module; // the mapped file's path
  // Innermost first, when asked for and the file has debug info (see
  // system::SourceFrames::at).
  std::vector<system::SourceFrame> sources;
};

class UserSymbols {
public:
  UserSymbols() = default;
  UserSymbols(const UserSymbols &) = delete;
  UserSymbols &operator=(const UserSymbols &) = delete;

  // Reads the process's mappings now and loads their files' symbols.
  void remember(uint64_t pid);
  // Reads the mappings again when the address is in none of the remembered
  // ones (the process may have loaded a library since). `with_sources`: also
  // the source lines and inlined calls there (a file's debug info is read
  // the first time it is asked for).
  std::optional<UserSymbol> resolve(uint64_t pid, uint64_t address, bool with_sources = false);
  // Nothing when no file is mapped at `address` (read again as resolve does).
  std::optional<FileLocation> file_location(uint64_t pid, uint64_t address);
  // C++ names as the symbol tables spell them (config `cpp_demangle = false`).
  void keep_mangled_names() { demangle_ = false; }
  bool demangles() const { return demangle_; }

private:
  struct Mapping {
    uint64_t start = 0;
    uint64_t end = 0;
    uint64_t offset = 0; // into the file
    std::string path;
    std::string file_id;
    std::string mapped_file;                           // /proc/PID/map_files/RANGE
    std::shared_ptr<const system::ElfSymbols> symbols; // null when unreadable
  };
  struct Process {
    std::string maps; // the text the mappings were read from
    std::vector<Mapping> mappings;
  };

  static const Mapping *mapping_at(const Process &process, uint64_t address);
  // False when the process is gone; then its snapshot stays.
  bool read_maps(uint64_t pid, Process &process);
  std::shared_ptr<const system::ElfSymbols> symbols_of(uint64_t pid, const std::string &range,
                                                       const std::string &file_id,
                                                       const std::string &path);
  std::optional<UserSymbol> lookup(const Process &process, uint64_t address, bool with_sources);
  system::SourceFrames *sources_of(const Mapping &mapping);

  bool demangle_ = true;
  std::map<uint64_t, Process> processes_;
  // By device and inode: one table per file, whichever processes map it.
  std::map<std::string, std::shared_ptr<const system::ElfSymbols>> files_;
  // By device and inode, read on first use; null without debug info.
  std::map<std::string, std::unique_ptr<system::SourceFrames>> sources_;
  // Addresses still unknown after the maps were read again, until they change.
  std::set<std::pair<uint64_t, uint64_t>> unknown_;
};

} // namespace sonde::symbols
