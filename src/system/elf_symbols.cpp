#include "system/elf_symbols.h"

#include <algorithm>
#include <elf.h>
#include <gelf.h>
#include <map>
#include <sys/stat.h>
#include <tuple>

namespace sonde::system {

namespace {

struct TableSymbol {
  ElfSymbol symbol;
  bool function = false;      // else a data object
  unsigned char binding = 0;  // STB_*
  bool older_version = false; // of a versioned dynamic symbol
};

// The dynamic symbol table's version indices (.gnu.version), one per symbol.
Elf_Data *symbol_versions(const ElfFile &file) {
  std::vector<ElfSection> sections = file.sections_of_type(SHT_GNU_versym);
  return sections.empty() ? nullptr : elf_getdata(sections.front().scn, nullptr);
}

bool hidden_version(Elf_Data *versions, size_t index) {
  constexpr uint16_t kHidden = 0x8000;
  if (!versions || (index + 1) * sizeof(uint16_t) > versions->d_size)
    return false;
  return (static_cast<const uint16_t *>(versions->d_buf)[index] & kHidden) != 0;
}

// The defined functions and data objects of the file's symbol tables of one
// type, in table order.
std::vector<TableSymbol> read_table(const ElfFile &file, uint32_t section_type) {
  std::vector<TableSymbol> symbols;
  Elf_Data *versions = section_type == SHT_DYNSYM ? symbol_versions(file) : nullptr;
  for (const ElfSection &section : file.sections_of_type(section_type)) {
    Elf_Data *data = elf_getdata(section.scn, nullptr);
    GElf_Shdr header;
    if (!data || !gelf_getshdr(section.scn, &header) || header.sh_entsize == 0)
      continue;
    size_t count = header.sh_size / header.sh_entsize;
    for (size_t i = 0; i < count; i++) {
      GElf_Sym symbol;
      if (!gelf_getsym(data, static_cast<int>(i), &symbol))
        continue;
      int type = GELF_ST_TYPE(symbol.st_info);
      bool function = type == STT_FUNC || type == STT_GNU_IFUNC;
      if ((!function && type != STT_OBJECT) || symbol.st_shndx == SHN_UNDEF || symbol.st_value == 0)
        continue;
      const char *name = elf_strptr(file.elf(), section.link, symbol.st_name);
      if (name && *name)
        symbols.push_back(TableSymbol{ElfSymbol{name, symbol.st_value, symbol.st_size}, function,
                                      static_cast<unsigned char>(GELF_ST_BIND(symbol.st_info)),
                                      hidden_version(versions, i)});
    }
  }
  return symbols;
}

// Sorts a table by name, keeping the first symbol of each name.
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

// Among aliases of one address the public name reads best: "getpid" over
// "__getpid", a global symbol over a weak or local one. Lower wins.
int alias_rank(const TableSymbol &symbol) {
  int underscores = 0;
  while (symbol.symbol.name[underscores] == '_')
    underscores++;
  int binding_rank = symbol.binding == STB_GLOBAL ? 0 : symbol.binding == STB_WEAK ? 1 : 2;
  return underscores * 4 + binding_rank;
}

// Functions sorted by address, one per address (the best-ranked alias, with
// the largest size among them).
std::vector<ElfSymbol> by_address(std::vector<const TableSymbol *> functions) {
  std::stable_sort(functions.begin(), functions.end(),
                   [](const TableSymbol *a, const TableSymbol *b) {
                     if (a->symbol.address != b->symbol.address)
                       return a->symbol.address < b->symbol.address;
                     return alias_rank(*a) < alias_rank(*b);
                   });
  std::vector<ElfSymbol> table;
  for (const TableSymbol *function : functions) {
    if (!table.empty() && table.back().address == function->symbol.address)
      table.back().size = std::max(table.back().size, function->symbol.size);
    else
      table.push_back(function->symbol);
  }
  return table;
}

} // namespace

Expected<ElfSymbols> ElfSymbols::load(const std::string &path) {
  auto file = ElfFile::open(path);
  if (!file)
    return error(file.error());
  std::vector<TableSymbol> symtab = read_table(*file, SHT_SYMTAB);
  std::vector<TableSymbol> dynsym = read_table(*file, SHT_DYNSYM);
  std::vector<TableSymbol> debug;
  if (std::string debug_path = file->debug_file_path(); !debug_path.empty())
    if (auto debug_file = ElfFile::open(debug_path))
      debug = read_table(*debug_file, SHT_SYMTAB);

  ElfSymbols symbols;
  symbols.segments_ = file->segments();
  for (const auto *table : {&symtab, &dynsym, &debug})
    for (const TableSymbol &symbol : *table)
      if (!symbol.older_version)
        (symbol.function ? symbols.functions_ : symbols.objects_).push_back(symbol.symbol);
  sort_by_name(symbols.functions_);
  sort_by_name(symbols.objects_);

  // Stacks name addresses the file's own tables know, older versions
  // included; the debug file only stands in for a missing .symtab.
  std::vector<const TableSymbol *> functions;
  auto add_functions = [&](const std::vector<TableSymbol> &table) {
    for (const TableSymbol &symbol : table)
      if (symbol.function)
        functions.push_back(&symbol);
  };
  add_functions(symtab);
  if (functions.empty())
    add_functions(debug);
  add_functions(dynsym);
  symbols.by_address_ = by_address(std::move(functions));
  return symbols;
}

Expected<std::shared_ptr<const ElfSymbols>> ElfSymbols::read(const std::string &path) {
  using FileKey = std::tuple<dev_t, ino_t, off_t, int64_t>;
  static std::map<FileKey, std::shared_ptr<const ElfSymbols>> cache;
  struct stat status{};
  std::optional<FileKey> key;
  if (stat(path.c_str(), &status) == 0)
    key = FileKey{status.st_dev, status.st_ino, status.st_size,
                  status.st_mtim.tv_sec * 1'000'000'000LL + status.st_mtim.tv_nsec};
  if (key)
    if (auto found = cache.find(*key); found != cache.end())
      return found->second;
  auto symbols = load(path);
  if (!symbols)
    return error(symbols.error());
  auto shared = std::make_shared<const ElfSymbols>(std::move(*symbols));
  if (key)
    cache.emplace(*key, shared);
  return shared;
}

const ElfSymbol *ElfSymbols::function(const std::string &name) const {
  return find_by_name(functions_, name);
}

const ElfSymbol *ElfSymbols::object(const std::string &name) const {
  return find_by_name(objects_, name);
}

std::optional<FunctionAt> ElfSymbols::function_at(uint64_t address) const {
  auto above =
      std::upper_bound(by_address_.begin(), by_address_.end(), address,
                       [](uint64_t a, const ElfSymbol &function) { return a < function.address; });
  if (above == by_address_.begin())
    return std::nullopt;
  const ElfSymbol &function = *std::prev(above);
  uint64_t offset = address - function.address;
  // Assembly functions may have no size: then only their first byte is known.
  if (offset >= std::max<uint64_t>(function.size, 1))
    return std::nullopt;
  return FunctionAt{function.name, offset};
}

std::optional<uint64_t> ElfSymbols::code_offset(uint64_t address) const {
  for (const ElfSegment &segment : segments_)
    if (segment.executable && address >= segment.vaddr && address < segment.vaddr + segment.filesz)
      return address - segment.vaddr + segment.offset;
  return std::nullopt;
}

std::optional<uint64_t> ElfSymbols::address_of_offset(uint64_t file_offset) const {
  for (const ElfSegment &segment : segments_)
    if (file_offset >= segment.offset && file_offset < segment.offset + segment.filesz)
      return file_offset - segment.offset + segment.vaddr;
  return std::nullopt;
}

} // namespace sonde::system
