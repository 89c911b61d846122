#pragma once

// The SystemTap SDT notes (`.note.stapsdt`) of a binary: one per USDT probe
// site.

#include "common/expected.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sonde::system {

struct UsdtNote {
  std::string provider;
  std::string name;
  uint64_t address = 0;          // virtual address of the probe site
  uint64_t file_offset = 0;      // the same as a file offset, for uprobes
  uint64_t semaphore_offset = 0; // file offset of the semaphore, 0 when none
  std::string arguments;         // as the compiler wrote them: "-4@%eax 8@-16(%rbp)"
};

// The notes in file order, with addresses moved as far as prelinking moved
// the binary. Fails when a site or semaphore lies outside the file's
// loadable segments.
Expected<std::vector<UsdtNote>> usdt_notes(const std::string &path);

} // namespace sonde::system
