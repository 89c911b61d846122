#include "runtime/probes/elf_symbols.h"

#include "runtime/probes/elf_file.h"

#include <algorithm>
#include <elf.h>
#include <gelf.h>
#include <map>
#include <unistd.h>

namespace sonde::probes {

namespace {

constexpr const char *kDebugDir = "/usr/lib/debug/.build-id/";

// The dynamic symbol table's version indices (.gnu.version), one per symbol.
Elf_Data *symbol_versions(const ElfFile &file) {
  std::vector<ElfSection> sections = file.sections_of_type(SHT_GNU_versym);
  return sections.empty() ? nullptr : elf_getdata(sections.front().scn, nullptr);
}

// An older version of a versioned symbol (memcpy@GLIBC_2.2.5 beside the
// default memcpy@@GLIBC_2.14) is hidden: programs do not bind to it.
bool hidden_version(Elf_Data *versions, size_t index) {
  constexpr uint16_t kHidden = 0x8000;
  if (!versions || (index + 1) * sizeof(uint16_t) > versions->d_size)
    return false;
  return (static_cast<const uint16_t *>(versions->d_buf)[index] & kHidden) != 0;
}

void add_functions(const ElfFile &file, uint32_t section_type, std::vector<ElfSymbol> &table) {
  Elf_Data *versions = section_type == SHT_DYNSYM ? symbol_versions(file) : nullptr;
  for (const ElfSection &section : file.sections_of_type(section_type)) {
    Elf_Data *data = elf_getdata(section.scn, nullptr);
    if (!data)
      continue;
    GElf_Shdr header;
    gelf_getshdr(section.scn, &header);
    size_t count = header.sh_entsize ? header.sh_size / header.sh_entsize : 0;
    for (size_t i = 0; i < count; i++) {
      GElf_Sym symbol;
      if (!gelf_getsym(data, static_cast<int>(i), &symbol))
        continue;
      int type = GELF_ST_TYPE(symbol.st_info);
      if ((type != STT_FUNC && type != STT_GNU_IFUNC) || symbol.st_shndx == SHN_UNDEF ||
          symbol.st_value == 0 || hidden_version(versions, i))
        continue;
      const char *name = elf_strptr(file.elf(), section.link, symbol.st_name);
      if (name && *name)
        table.push_back(ElfSymbol{name, symbol.st_value, symbol.st_size});
    }
  }
}

// The separate debug file of a stripped binary, by build id.
std::string debug_file(const ElfFile &file) {
  std::string id = file.build_id();
  if (id.size() < 3)
    return "";
  std::string path = kDebugDir + id.substr(0, 2) + "/" + id.substr(2) + ".debug";
  return access(path.c_str(), R_OK) == 0 ? path : "";
}

runtime::Expected<BinaryFunctions> read_functions(const std::string &path) {
  auto file = ElfFile::open(path);
  if (!file)
    return runtime::error(file.error());
  BinaryFunctions functions;
  functions.segments = file->segments();
  std::vector<ElfSymbol> &table = functions.symbols;
  add_functions(*file, SHT_SYMTAB, table);
  add_functions(*file, SHT_DYNSYM, table);
  if (std::string debug = debug_file(*file); !debug.empty())
    if (auto symbols = ElfFile::open(debug))
      add_functions(*symbols, SHT_SYMTAB, table);
  // Keep the first symbol of each name: .symtab's over .dynsym's copy.
  std::stable_sort(table.begin(), table.end(),
                   [](const ElfSymbol &a, const ElfSymbol &b) { return a.name < b.name; });
  table.erase(std::unique(table.begin(), table.end(),
                          [](const ElfSymbol &a, const ElfSymbol &b) { return a.name == b.name; }),
              table.end());
  return functions;
}

} // namespace

runtime::Expected<std::shared_ptr<const BinaryFunctions>>
binary_functions(const std::string &path) {
  static std::map<std::string, std::shared_ptr<const BinaryFunctions>> cache;
  if (auto found = cache.find(path); found != cache.end())
    return found->second;
  auto functions = read_functions(path);
  if (!functions)
    return runtime::error(functions.error());
  auto shared = std::make_shared<const BinaryFunctions>(std::move(*functions));
  cache.emplace(path, shared);
  return shared;
}

const ElfSymbol *BinaryFunctions::find(const std::string &name) const {
  auto found = std::lower_bound(
      symbols.begin(), symbols.end(), name,
      [](const ElfSymbol &symbol, const std::string &key) { return symbol.name < key; });
  return found != symbols.end() && found->name == name ? &*found : nullptr;
}

std::optional<uint64_t> BinaryFunctions::code_offset(uint64_t address) const {
  for (const ElfSegment &segment : segments)
    if (segment.executable && address >= segment.vaddr && address < segment.vaddr + segment.filesz)
      return address - segment.vaddr + segment.offset;
  return std::nullopt;
}

} // namespace sonde::probes
