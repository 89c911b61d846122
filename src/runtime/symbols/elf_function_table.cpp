#include "runtime/symbols/elf_function_table.h"

#include <algorithm>
#include <cstdlib>
#include <cxxabi.h>
#include <elf.h>
#include <gelf.h>
#include <unistd.h>

namespace sonde::symbols {

namespace {

using Function = ElfFunctionTable::Function;

struct Candidate {
  Function function;
  int rank; // lower wins among aliases at one address
};

// Among aliases of one address the public name reads best: "getpid" over
// "__getpid", a global symbol over a weak or local one.
int alias_rank(const char *name, unsigned char binding) {
  int underscores = 0;
  while (name[underscores] == '_')
    underscores++;
  int binding_rank = binding == STB_GLOBAL ? 0 : binding == STB_WEAK ? 1 : 2;
  return underscores * 4 + binding_rank;
}

void add_functions(const system::ElfFile &file, uint32_t section_type,
                   std::vector<Candidate> &out) {
  for (const system::ElfSection &section : file.sections_of_type(section_type)) {
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
      if ((type != STT_FUNC && type != STT_GNU_IFUNC) || symbol.st_shndx == SHN_UNDEF ||
          symbol.st_value == 0)
        continue;
      const char *name = elf_strptr(file.elf(), section.link, symbol.st_name);
      if (!name || !*name)
        continue;
      out.push_back(Candidate{Function{symbol.st_value, symbol.st_size, name},
                              alias_rank(name, GELF_ST_BIND(symbol.st_info))});
    }
  }
}

// The separate debug file of a stripped binary, found by its build id.
std::string debug_file(const system::ElfFile &file) {
  std::string id = file.build_id();
  if (id.size() < 3)
    return "";
  std::string path = "/usr/lib/debug/.build-id/" + id.substr(0, 2) + "/" + id.substr(2) + ".debug";
  return access(path.c_str(), R_OK) == 0 ? path : "";
}

} // namespace

Expected<std::shared_ptr<const ElfFunctionTable>> ElfFunctionTable::load(const std::string &path) {
  auto file = system::ElfFile::open(path);
  if (!file)
    return error(file.error());
  std::vector<Candidate> candidates;
  add_functions(*file, SHT_SYMTAB, candidates);
  if (candidates.empty())
    if (std::string debug = debug_file(*file); !debug.empty())
      if (auto debug_elf = system::ElfFile::open(debug))
        add_functions(*debug_elf, SHT_SYMTAB, candidates);
  add_functions(*file, SHT_DYNSYM, candidates);
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate &a, const Candidate &b) {
                     if (a.function.address != b.function.address)
                       return a.function.address < b.function.address;
                     return a.rank < b.rank;
                   });
  auto table = std::make_shared<ElfFunctionTable>();
  table->segments_ = file->segments();
  for (Candidate &candidate : candidates) {
    std::vector<Function> &functions = table->functions_;
    if (!functions.empty() && functions.back().address == candidate.function.address)
      functions.back().size = std::max(functions.back().size, candidate.function.size);
    else
      functions.push_back(std::move(candidate.function));
  }
  return std::shared_ptr<const ElfFunctionTable>(std::move(table));
}

std::optional<uint64_t> ElfFunctionTable::address_of_offset(uint64_t file_offset) const {
  for (const system::ElfSegment &segment : segments_)
    if (file_offset >= segment.offset && file_offset < segment.offset + segment.filesz)
      return file_offset - segment.offset + segment.vaddr;
  return std::nullopt;
}

std::optional<FunctionAt> ElfFunctionTable::function_at(uint64_t address) const {
  auto above =
      std::upper_bound(functions_.begin(), functions_.end(), address,
                       [](uint64_t a, const Function &function) { return a < function.address; });
  if (above == functions_.begin())
    return std::nullopt;
  const Function &function = *std::prev(above);
  uint64_t offset = address - function.address;
  // Assembly functions may have no size: then only their first byte is known.
  if (offset >= std::max<uint64_t>(function.size, 1))
    return std::nullopt;
  return FunctionAt{function.name, offset};
}

std::string demangle(const std::string &name) {
  if (name.rfind("_Z", 0) != 0)
    return name;
  int status = 0;
  char *plain = abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status);
  if (status != 0 || !plain)
    return name;
  std::string result = plain;
  std::free(plain);
  return result;
}

} // namespace sonde::symbols
