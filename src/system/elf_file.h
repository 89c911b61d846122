#pragma once

// A read-only ELF file (libelf): the parts uprobes and usdt probes need —
// loadable segments to turn addresses into file offsets, sections by name,
// the build id.

#include "common/expected.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

typedef struct Elf Elf;
typedef struct Elf_Scn Elf_Scn;

namespace sonde::system {

struct ElfSegment {
  uint64_t vaddr = 0;
  uint64_t memsz = 0;
  uint64_t offset = 0;
  uint64_t filesz = 0;
  bool executable = false;
};

struct ElfSection {
  Elf_Scn *scn = nullptr;
  uint64_t addr = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
  uint32_t type = 0; // SHT_*
  uint32_t link = 0; // sh_link
};

// `--debuginfo`: more directories to find separate debug files in, searched
// first, in order.
void set_debug_directories(std::vector<std::string> directories);

class ElfFile {
public:
  // Fails with a line naming the path when it is missing or not ELF. A
  // path `ARCHIVE!/MEMBER` names a member of a ZIP archive (zip_archive.h).
  static Expected<ElfFile> open(const std::string &path);

  ElfFile(ElfFile &&other) noexcept;
  ElfFile &operator=(ElfFile &&) = delete;
  ElfFile(const ElfFile &) = delete;
  ~ElfFile();

  const std::string &path() const { return path_; }
  Elf *elf() const { return elf_; }
  bool is_64bit() const { return is_64bit_; }
  // ET_DYN (a PIE or a shared library): mapped wherever the loader chose, its
  // addresses count from the load base.
  bool load_relative() const { return load_relative_; }
  const std::vector<ElfSegment> &segments() const { return segments_; }

  // The file offset of a virtual address inside a loadable segment's file
  // image: what the kernel's uprobe interface takes.
  std::optional<uint64_t> file_offset(uint64_t vaddr) const;
  std::optional<ElfSection> section(const std::string &name) const;
  std::vector<ElfSection> sections_of_type(uint32_t type) const;
  // The libraries its dynamic section names (DT_NEEDED: "libc.so.6").
  std::vector<std::string> needed_libraries() const;
  // The GNU build id as lowercase hex, or "" without one.
  std::string build_id() const;
  // The separate debug file of a stripped binary, found by build id under
  // the --debuginfo directories, then /usr/lib/debug/.build-id/, or "" when
  // none is installed. In a --debuginfo directory D (relative ones to the
  // binary's own), D/.build-id/xx/rest.debug, D/xx/rest.debug, then
  // D/<name>.debug and D/<name> whose build id is the binary's.
  std::string debug_file_path() const;

private:
  ElfFile(std::string path, int fd, Elf *elf);
  static Expected<ElfFile> open_member(const std::string &path);

  std::string path_;
  int fd_ = -1;
  Elf *elf_ = nullptr;
  bool is_64bit_ = true;
  bool load_relative_ = false;
  std::vector<ElfSegment> segments_;
  std::vector<char> image_; // an archive member's bytes, which elf_ reads
};

} // namespace sonde::system
