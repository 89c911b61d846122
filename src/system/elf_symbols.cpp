#include "system/elf_symbols.h"

#include <algorithm>
#include <elf.h>
#include <gelf.h>
#include <map>
#include <sys/stat.h>
#include <tuple>

namespace sonde::system {

namespace {

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

// Sorts a table by name, keeping the first symbol of each name.
void sort_by_name(std::vector<const ElfSymbol *> &table) {
  std::stable_sort(table.begin(), table.end(),
                   [](const ElfSymbol *a, const ElfSymbol *b) { return a->name < b->name; });
  table.erase(
      std::unique(table.begin(), table.end(),
                  [](const ElfSymbol *a, const ElfSymbol *b) { return a->name == b->name; }),
      table.end());
}

const ElfSymbol *find_by_name(const std::vector<const ElfSymbol *> &table,
                              const std::string &name) {
  auto found = std::lower_bound(
      table.begin(), table.end(), name,
      [](const ElfSymbol *symbol, const std::string &key) { return symbol->name < key; });
  return found != table.end() && (*found)->name == name ? *found : nullptr;
}

// Among aliases of one address the public name reads best: "getpid" over
// "__getpid", a global symbol over a weak or local one. Lower wins.
int alias_rank(const std::string &name, unsigned char binding) {
  int underscores = 0;
  while (name[underscores] == '_')
    underscores++;
  int binding_rank = binding == STB_GLOBAL ? 0 : binding == STB_WEAK ? 1 : 2;
  return underscores * 4 + binding_rank;
}

} // namespace

std::vector<ElfSymbols::TableSymbol> ElfSymbols::read_table(const ElfFile &file,
                                                            uint32_t section_type) {
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

Expected<ElfSymbols> ElfSymbols::load(const std::string &path) {
  auto file = ElfFile::open(path);
  if (!file)
    return error(file.error());
  ElfSymbols symbols;
  symbols.symtab_ = read_table(*file, SHT_SYMTAB);
  symbols.dynsym_ = read_table(*file, SHT_DYNSYM);
  symbols.segments_ = file->segments();
  symbols.debug_path_ = file->debug_file_path();
  symbols.load_relative_ = file->load_relative();
  symbols.build_id_ = file->build_id();
  return symbols;
}

Expected<std::shared_ptr<const ElfSymbols>> ElfSymbols::read(const std::string &path) {
  using FileKey = std::tuple<dev_t, ino_t, off_t, int64_t>;
  static std::map<FileKey, std::shared_ptr<const ElfSymbols>> cache;
  struct stat status {};
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

const std::vector<ElfSymbols::TableSymbol> &ElfSymbols::debug_symbols() const {
  if (!debug_) {
    debug_.emplace();
    if (!debug_path_.empty())
      if (auto file = ElfFile::open(debug_path_))
        debug_ = read_table(*file, SHT_SYMTAB);
  }
  return *debug_;
}

const ElfSymbols::ByName &ElfSymbols::by_name() const {
  if (!by_name_) {
    by_name_.emplace();
    for (const auto *table : {&symtab_, &dynsym_, &debug_symbols()})
      for (const TableSymbol &symbol : *table)
        if (!symbol.older_version)
          (symbol.function ? by_name_->functions : by_name_->objects).push_back(&symbol.symbol);
    sort_by_name(by_name_->functions);
    sort_by_name(by_name_->objects);
  }
  return *by_name_;
}

const std::vector<const ElfSymbol *> &ElfSymbols::functions() const { return by_name().functions; }

const ElfSymbol *ElfSymbols::function(const std::string &name) const {
  return find_by_name(by_name().functions, name);
}

const ElfSymbol *ElfSymbols::object(const std::string &name) const {
  return find_by_name(by_name().objects, name);
}

std::optional<FunctionAt> ElfSymbols::function_at(uint64_t address) const {
  if (!by_address_) {
    // Stacks name addresses the file's own tables know, older versions
    // included; the debug file only stands in for a missing .symtab.
    std::vector<const TableSymbol *> functions;
    auto add_functions = [&](const std::vector<TableSymbol> &table) {
      for (const TableSymbol &symbol : table)
        if (symbol.function)
          functions.push_back(&symbol);
    };
    add_functions(symtab_);
    if (functions.empty())
      add_functions(debug_symbols());
    add_functions(dynsym_);
    auto rank = [](const TableSymbol *symbol) {
      return alias_rank(symbol->symbol.name, symbol->binding);
    };
    std::stable_sort(functions.begin(), functions.end(),
                     [&](const TableSymbol *a, const TableSymbol *b) {
                       if (a->symbol.address != b->symbol.address)
                         return a->symbol.address < b->symbol.address;
                       return rank(a) < rank(b);
                     });
    by_address_.emplace();
    for (const TableSymbol *function : functions) {
      const ElfSymbol &symbol = function->symbol;
      if (!by_address_->empty() && by_address_->back().address == symbol.address)
        by_address_->back().size = std::max(by_address_->back().size, symbol.size);
      else
        by_address_->push_back(Addressed{symbol.address, symbol.size, &symbol.name});
    }
  }
  auto above =
      std::upper_bound(by_address_->begin(), by_address_->end(), address,
                       [](uint64_t a, const Addressed &function) { return a < function.address; });
  if (above == by_address_->begin())
    return std::nullopt;
  const Addressed &function = *std::prev(above);
  uint64_t offset = address - function.address;
  // Assembly functions may have no size: then only their first byte is known.
  if (offset >= std::max<uint64_t>(function.size, 1))
    return std::nullopt;
  return FunctionAt{*function.name, offset};
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
