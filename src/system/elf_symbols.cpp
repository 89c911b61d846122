#include "system/elf_symbols.h"

#include "system/elf_file.h"

#include <algorithm>
#include <elf.h>
#include <gelf.h>
#include <map>

namespace sonde::system {

namespace {

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

// Adds the defined symbols of a symbol table: functions to `functions`,
// data objects to `objects`.
void add_symbols(const ElfFile &file, uint32_t section_type, std::vector<ElfSymbol> &functions,
                 std::vector<ElfSymbol> &objects) {
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
      bool function = type == STT_FUNC || type == STT_GNU_IFUNC;
      if ((!function && type != STT_OBJECT) || symbol.st_shndx == SHN_UNDEF ||
          symbol.st_value == 0 || hidden_version(versions, i))
        continue;
      const char *name = elf_strptr(file.elf(), section.link, symbol.st_name);
      if (name && *name)
        (function ? functions : objects)
            .push_back(ElfSymbol{name, symbol.st_value, symbol.st_size});
    }
  }
}

// Sorts a table by name, keeping the first symbol of each name: .symtab's
// over .dynsym's copy.
void sort_by_name(std::vector<ElfSymbol> &table) {
  std::stable_sort(table.begin(), table.end(),
                   [](const ElfSymbol &a, const ElfSymbol &b) { return a.name < b.name; });
  table.erase(std::unique(table.begin(), table.end(),
                          [](const ElfSymbol &a, const ElfSymbol &b) { return a.name == b.name; }),
              table.end());
}

const ElfSymbol *find_by_name(const std::vector<ElfSymbol> &table, const std::string &name) {
  auto found = std::lower_bound(
      table.begin(), table.end(), name,
      [](const ElfSymbol &symbol, const std::string &key) { return symbol.name < key; });
  return found != table.end() && found->name == name ? &*found : nullptr;
}

Expected<BinaryFunctions> read_functions(const std::string &path) {
  auto file = ElfFile::open(path);
  if (!file)
    return error(file.error());
  BinaryFunctions functions;
  functions.segments = file->segments();
  add_symbols(*file, SHT_SYMTAB, functions.symbols, functions.objects);
  add_symbols(*file, SHT_DYNSYM, functions.symbols, functions.objects);
  if (std::string debug = file->debug_file_path(); !debug.empty())
    if (auto symbols = ElfFile::open(debug))
      add_symbols(*symbols, SHT_SYMTAB, functions.symbols, functions.objects);
  sort_by_name(functions.symbols);
  sort_by_name(functions.objects);
  return functions;
}

} // namespace

Expected<std::shared_ptr<const BinaryFunctions>> binary_functions(const std::string &path) {
  static std::map<std::string, std::shared_ptr<const BinaryFunctions>> cache;
  if (auto found = cache.find(path); found != cache.end())
    return found->second;
  auto functions = read_functions(path);
  if (!functions)
    return error(functions.error());
  auto shared = std::make_shared<const BinaryFunctions>(std::move(*functions));
  cache.emplace(path, shared);
  return shared;
}

const ElfSymbol *BinaryFunctions::find(const std::string &name) const {
  return find_by_name(symbols, name);
}

const ElfSymbol *BinaryFunctions::find_object(const std::string &name) const {
  return find_by_name(objects, name);
}

std::optional<uint64_t> BinaryFunctions::code_offset(uint64_t address) const {
  for (const ElfSegment &segment : segments)
    if (segment.executable && address >= segment.vaddr && address < segment.vaddr + segment.filesz)
      return address - segment.vaddr + segment.offset;
  return std::nullopt;
}

} // namespace sonde::system
