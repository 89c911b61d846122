// USDT probes from a binary's `.note.stapsdt` notes. Each note describes one
// probe site: its address, the address the linker gave `.stapsdt.base` (to
// undo prelinking), the semaphore's address and the argument string.

#include "runtime/probes/usdt.h"
#include "system/elf_file.h"

#include <algorithm>
#include <cstring>
#include <gelf.h>
#include <map>

namespace sonde::probes {

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

std::vector<Note> read_notes(const system::ElfFile &file) {
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

Expected<std::vector<UsdtProbe>> read_probes(const std::string &path) {
  auto file = system::ElfFile::open(path);
  if (!file)
    return error(file.error());
  // Prelinking moves the binary; the notes then still hold the old
  // addresses, and `.stapsdt.base` tells by how much.
  auto base = file->section(".stapsdt.base");
  std::map<std::pair<std::string, std::string>, UsdtProbe> probes;
  for (const Note &note : read_notes(*file)) {
    uint64_t shift = base ? base->addr - note.base : 0;
    UsdtLocation location;
    location.address = note.pc + shift;
    auto pc_offset = file->file_offset(location.address);
    if (!pc_offset)
      return error(path + ": usdt probe " + note.provider + ":" + note.name +
                   " lies outside the file's loadable segments");
    location.file_offset = *pc_offset;
    if (note.semaphore) {
      auto semaphore_offset = file->file_offset(note.semaphore + shift);
      if (!semaphore_offset)
        return error(path + ": the semaphore of usdt probe " + note.provider + ":" + note.name +
                     " lies outside the file's loadable segments");
      location.semaphore_offset = *semaphore_offset;
    }
    auto arguments = parse_usdt_arguments(note.arguments);
    if (!arguments)
      return error(path + ": usdt probe " + note.provider + ":" + note.name + ": " +
                   arguments.error());
    location.arguments = std::move(*arguments);
    UsdtProbe &probe = probes[{note.provider, note.name}];
    probe.path = path;
    probe.provider = note.provider;
    probe.name = note.name;
    probe.locations.push_back(std::move(location));
  }
  std::vector<UsdtProbe> sorted;
  for (auto &[key, probe] : probes)
    sorted.push_back(std::move(probe));
  return sorted;
}

} // namespace

Expected<std::vector<UsdtProbe>> usdt_probes(const std::string &path) {
  static std::map<std::string, Expected<std::vector<UsdtProbe>>> cache;
  auto found = cache.find(path);
  if (found == cache.end())
    found = cache.emplace(path, read_probes(path)).first;
  return found->second;
}

Expected<UsdtProbe> usdt_probe(const std::string &path, const std::string &provider,
                               const std::string &name) {
  auto probes = usdt_probes(path);
  if (!probes)
    return error(probes.error());
  for (const UsdtProbe &probe : *probes)
    if (probe.provider == provider && probe.name == name)
      return probe;
  return error("no usdt probe " + provider + ":" + name + " in " + path);
}

Expected<std::vector<UsdtArgumentLayout>> usdt_argument_layouts(const std::string &path,
                                                                const std::string &provider,
                                                                const std::string &name) {
  auto probe = usdt_probe(path, provider, name);
  if (!probe)
    return error(probe.error());
  std::vector<UsdtArgumentLayout> layouts;
  for (size_t site = 0; site < probe->locations.size(); site++) {
    const std::vector<UsdtArgument> &arguments = probe->locations[site].arguments;
    auto same = std::find_if(layouts.begin(), layouts.end(), [&](const UsdtArgumentLayout &layout) {
      return layout.arguments == arguments;
    });
    if (same == layouts.end())
      layouts.push_back(UsdtArgumentLayout{{site}, arguments});
    else
      same->sites.push_back(site);
  }
  return layouts;
}

} // namespace sonde::probes
