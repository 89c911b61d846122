#pragma once

// The source behind a code address, from a binary's DWARF (its own or its
// separate debug file's): the file and line of the address, and the calls
// inlined there, for stacks printed with `show_debug_info`.

#include "system/elf_file.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

typedef struct Dwarf Dwarf;

namespace sonde::system {

struct SourceFrame {
  std::string inlined_function; // "" for the function the address is in
  std::string file;             // as the line table spells it
  uint64_t line = 0;
};

class SourceFrames {
public:
  // Null when neither the file nor its debug file has DWARF.
  static std::unique_ptr<SourceFrames> open(const std::string &path);

  SourceFrames(const SourceFrames &) = delete;
  SourceFrames &operator=(const SourceFrames &) = delete;
  ~SourceFrames();

  // Innermost first: one frame per inlined call that holds `address` (a
  // virtual address of the file), each at its line in the inlined function,
  // then the enclosing function's frame at the line of the outermost call.
  // Empty when the line table does not cover it. Computed once per address.
  const std::vector<SourceFrame> &at(uint64_t address);

private:
  SourceFrames(ElfFile file, Dwarf *dwarf) : file_(std::move(file)), dwarf_(dwarf) {}
  std::vector<SourceFrame> read(uint64_t address) const;

  ElfFile file_;
  Dwarf *dwarf_;
  std::unordered_map<uint64_t, std::vector<SourceFrame>> by_address_;
};

} // namespace sonde::system
