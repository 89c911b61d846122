#include "system/elf_file.h"

#include "system/zip_archive.h"

#include <filesystem>

#include <cerrno>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>
#include <utility>

namespace sonde::system {

// A member of a ZIP archive is read into memory (it is stored, not compressed).
Expected<ElfFile> ElfFile::open_member(const std::string &path) {
  auto member = find_archive_member(path);
  if (!member)
    return error(member.error());
  int fd = ::open(member->archive.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return error("cannot open " + member->archive + ": " + std::strerror(errno));
  std::vector<char> image(member->size);
  bool read = pread(fd, image.data(), image.size(), static_cast<off_t>(member->offset)) ==
              static_cast<ssize_t>(image.size());
  close(fd);
  Elf *elf = read ? elf_memory(image.data(), image.size()) : nullptr;
  if (!elf || elf_kind(elf) != ELF_K_ELF) {
    if (elf)
      elf_end(elf);
    return error(path + " is not an ELF file");
  }
  ElfFile file(path, -1, elf);
  file.image_ = std::move(image);
  return file;
}

Expected<ElfFile> ElfFile::open(const std::string &path) {
  if (elf_version(EV_CURRENT) == EV_NONE)
    return error(std::string("libelf: ") + elf_errmsg(-1));
  if (names_archive_member(path))
    return open_member(path);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return error("cannot open " + path + ": " + std::strerror(errno));
  Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
  if (!elf || elf_kind(elf) != ELF_K_ELF) {
    if (elf)
      elf_end(elf);
    close(fd);
    return error(path + " is not an ELF file");
  }
  return ElfFile(path, fd, elf);
}

ElfFile::ElfFile(std::string path, int fd, Elf *elf)
    : path_(std::move(path)), fd_(fd), elf_(elf), is_64bit_(gelf_getclass(elf) == ELFCLASS64) {
  GElf_Ehdr header;
  load_relative_ = gelf_getehdr(elf_, &header) && header.e_type == ET_DYN;
  size_t count = 0;
  if (elf_getphdrnum(elf_, &count) != 0)
    return;
  for (size_t i = 0; i < count; i++) {
    GElf_Phdr header;
    if (!gelf_getphdr(elf_, static_cast<int>(i), &header) || header.p_type != PT_LOAD)
      continue;
    segments_.push_back(ElfSegment{header.p_vaddr, header.p_memsz, header.p_offset, header.p_filesz,
                                   (header.p_flags & PF_X) != 0});
  }
}

ElfFile::ElfFile(ElfFile &&other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)),
      elf_(std::exchange(other.elf_, nullptr)), is_64bit_(other.is_64bit_),
      load_relative_(other.load_relative_), segments_(std::move(other.segments_)),
      image_(std::move(other.image_)) {}

ElfFile::~ElfFile() {
  if (elf_)
    elf_end(elf_);
  if (fd_ >= 0)
    close(fd_);
}

std::optional<uint64_t> ElfFile::file_offset(uint64_t vaddr) const {
  for (const ElfSegment &segment : segments_)
    if (vaddr >= segment.vaddr && vaddr < segment.vaddr + segment.filesz)
      return vaddr - segment.vaddr + segment.offset;
  return std::nullopt;
}

namespace {

ElfSection section_of(Elf_Scn *scn, const GElf_Shdr &header) {
  return ElfSection{scn,           header.sh_addr, header.sh_offset, header.sh_size, header.sh_type,
                    header.sh_link};
}

} // namespace

std::optional<ElfSection> ElfFile::section(const std::string &name) const {
  size_t names = 0;
  if (elf_getshdrstrndx(elf_, &names) != 0)
    return std::nullopt;
  for (Elf_Scn *scn = elf_nextscn(elf_, nullptr); scn; scn = elf_nextscn(elf_, scn)) {
    GElf_Shdr header;
    if (!gelf_getshdr(scn, &header))
      continue;
    const char *section_name = elf_strptr(elf_, names, header.sh_name);
    if (section_name && name == section_name)
      return section_of(scn, header);
  }
  return std::nullopt;
}

std::vector<ElfSection> ElfFile::sections_of_type(uint32_t type) const {
  std::vector<ElfSection> sections;
  for (Elf_Scn *scn = elf_nextscn(elf_, nullptr); scn; scn = elf_nextscn(elf_, scn)) {
    GElf_Shdr header;
    if (gelf_getshdr(scn, &header) && header.sh_type == type)
      sections.push_back(section_of(scn, header));
  }
  return sections;
}

std::vector<std::string> ElfFile::needed_libraries() const {
  std::vector<std::string> names;
  for (const ElfSection &dynamic : sections_of_type(SHT_DYNAMIC)) {
    Elf_Data *data = elf_getdata(dynamic.scn, nullptr);
    GElf_Shdr header;
    if (!data || !gelf_getshdr(dynamic.scn, &header) || header.sh_entsize == 0)
      continue;
    for (size_t i = 0; i < header.sh_size / header.sh_entsize; i++) {
      GElf_Dyn entry;
      if (!gelf_getdyn(data, static_cast<int>(i), &entry) || entry.d_tag == DT_NULL)
        break;
      if (entry.d_tag != DT_NEEDED)
        continue;
      if (const char *name = elf_strptr(elf_, dynamic.link, entry.d_un.d_val))
        names.push_back(name);
    }
  }
  return names;
}

std::string ElfFile::build_id() const {
  for (const ElfSection &notes : sections_of_type(SHT_NOTE)) {
    Elf_Data *data = elf_getdata(notes.scn, nullptr);
    if (!data)
      continue;
    GElf_Nhdr note;
    size_t offset = 0, name_at = 0, desc_at = 0;
    while ((offset = gelf_getnote(data, offset, &note, &name_at, &desc_at)) > 0) {
      const char *bytes = static_cast<const char *>(data->d_buf);
      if (note.n_type != NT_GNU_BUILD_ID || note.n_namesz != 4 ||
          std::memcmp(bytes + name_at, "GNU", 4) != 0)
        continue;
      static const char kHex[] = "0123456789abcdef";
      std::string hex;
      for (size_t i = 0; i < note.n_descsz; i++) {
        auto byte = static_cast<unsigned char>(bytes[desc_at + i]);
        hex += kHex[byte >> 4];
        hex += kHex[byte & 15];
      }
      return hex;
    }
  }
  return "";
}

namespace {

std::vector<std::string> &debug_directories() {
  static std::vector<std::string> directories;
  return directories;
}

bool readable(const std::string &path) { return access(path.c_str(), R_OK) == 0; }

} // namespace

void set_debug_directories(std::vector<std::string> directories) {
  debug_directories() = std::move(directories);
}

std::string ElfFile::debug_file_path() const {
  std::string id = build_id();
  if (id.size() < 3)
    return "";
  std::string by_id = id.substr(0, 2) + "/" + id.substr(2) + ".debug";
  std::filesystem::path binary(path_);
  for (const std::string &directory : debug_directories()) {
    std::filesystem::path base(directory);
    if (base.is_relative())
      base = binary.parent_path() / base;
    for (const auto &candidate : {base / ".build-id" / by_id, base / by_id})
      if (readable(candidate))
        return candidate.string();
    for (const auto &candidate :
         {base / (binary.filename().string() + ".debug"), base / binary.filename()}) {
      if (!readable(candidate) || std::filesystem::equivalent(candidate, binary))
        continue;
      if (auto debug = ElfFile::open(candidate.string()); debug && debug->build_id() == id)
        return candidate.string();
    }
  }
  std::string path = "/usr/lib/debug/.build-id/" + by_id;
  return readable(path) ? path : "";
}

} // namespace sonde::system
