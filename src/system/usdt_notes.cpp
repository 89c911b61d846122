// Each `.note.stapsdt` note describes one probe site: its address, the
// address the linker gave `.stapsdt.base` (to undo prelinking), the
// semaphore's address and the argument string.

#include "system/usdt_notes.h"

#include "system/elf_file.h"

#include <cstring>
#include <gelf.h>

namespace sonde::system {

namespace {

constexpr uint32_t kStapsdtNoteType = 3;
constexpr const char *kStapsdtNoteName = "stapsdt";

struct Note {
  uint64_t pc = 0;
  uint64_t base = 0;
  uint64_t semaphore = 0;
  std::string provider, name, arguments;
};

uint64_t read_address(const char *at, bool is_64bit) {
  if (is_64bit) {
    uint64_t value;
    std::memcpy(&value, at, sizeof(value));
    return value;
  }
  uint32_t value;
  std::memcpy(&value, at, sizeof(value));
  return value;
}

std::vector<Note> read_notes(const ElfFile &file) {
  std::vector<Note> notes;
  auto section = file.section(".note.stapsdt");
  if (!section)
    return notes;
  Elf_Data *data = elf_getdata(section->scn, nullptr);
  if (!data)
    return notes;
  size_t address_size = file.is_64bit() ? 8 : 4;
  GElf_Nhdr header;
  size_t offset = 0, name_at = 0, desc_at = 0;
  while ((offset = gelf_getnote(data, offset, &header, &name_at, &desc_at)) > 0) {
    const char *bytes = static_cast<const char *>(data->d_buf);
    if (header.n_type != kStapsdtNoteType || header.n_namesz != std::strlen(kStapsdtNoteName) + 1 ||
        std::memcmp(bytes + name_at, kStapsdtNoteName, header.n_namesz) != 0 ||
        header.n_descsz < 3 * address_size)
      continue;
    const char *desc = bytes + desc_at;
    const char *end = desc + header.n_descsz;
    Note note;
    note.pc = read_address(desc, file.is_64bit());
    note.base = read_address(desc + address_size, file.is_64bit());
    note.semaphore = read_address(desc + 2 * address_size, file.is_64bit());
    const char *text = desc + 3 * address_size;
    std::string *fields[] = {&note.provider, &note.name, &note.arguments};
    for (std::string *field : fields) {
      const char *nul = static_cast<const char *>(std::memchr(text, '\0', end - text));
      if (!nul)
        break;
      field->assign(text, nul);
      text = nul + 1;
    }
    if (!note.provider.empty() && !note.name.empty())
      notes.push_back(std::move(note));
  }
  return notes;
}

} // namespace

Expected<std::vector<UsdtNote>> usdt_notes(const std::string &path) {
  auto file = ElfFile::open(path);
  if (!file)
    return error(file.error());
  // Prelinking moves the binary; the notes then still hold the old
  // addresses, and `.stapsdt.base` tells by how much.
  auto base = file->section(".stapsdt.base");
  std::vector<UsdtNote> notes;
  for (Note &note : read_notes(*file)) {
    uint64_t shift = base ? base->addr - note.base : 0;
    UsdtNote site{note.provider, note.name, note.pc + shift, 0, 0, std::move(note.arguments)};
    auto pc_offset = file->file_offset(site.address);
    if (!pc_offset)
      return error(path + ": usdt probe " + note.provider + ":" + note.name +
                   " lies outside the file's loadable segments");
    site.file_offset = *pc_offset;
    if (note.semaphore) {
      auto semaphore_offset = file->file_offset(note.semaphore + shift);
      if (!semaphore_offset)
        return error(path + ": the semaphore of usdt probe " + note.provider + ":" + note.name +
                     " lies outside the file's loadable segments");
      site.semaphore_offset = *semaphore_offset;
    }
    notes.push_back(std::move(site));
  }
  return notes;
}

} // namespace sonde::system
