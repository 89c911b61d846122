#include "system/source_frames.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <filesystem>

namespace sonde::system {

namespace {

bool has_code_range(int tag) {
  return tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine ||
         tag == DW_TAG_lexical_block;
}

// Appends the inlined calls under `parent` whose ranges hold `address`,
// outermost first; true once the scope holding it was found. Namespaces and
// classes have no ranges but hold functions.
bool find_inlined_calls(Dwarf_Die *parent, uint64_t address, std::vector<Dwarf_Die> &calls) {
  Dwarf_Die child;
  if (dwarf_child(parent, &child) != 0)
    return false;
  do {
    int tag = dwarf_tag(&child);
    if (has_code_range(tag) && dwarf_haspc(&child, address) == 1) {
      if (tag == DW_TAG_inlined_subroutine)
        calls.push_back(child);
      find_inlined_calls(&child, address, calls);
      return true;
    }
    if ((tag == DW_TAG_namespace || tag == DW_TAG_class_type || tag == DW_TAG_structure_type) &&
        find_inlined_calls(&child, address, calls))
      return true;
  } while (dwarf_siblingof(&child, &child) == 0);
  return false;
}

// Relative names are relative to the unit's compilation directory.
std::string absolute(const char *name, Dwarf_Die *unit) {
  std::filesystem::path path(name);
  Dwarf_Attribute attribute;
  if (path.is_relative())
    if (const char *directory = dwarf_formstring(dwarf_attr(unit, DW_AT_comp_dir, &attribute)))
      path = std::filesystem::path(directory) / path;
  return path.lexically_normal().string();
}

// Where an inlined call was made: DW_AT_call_file indexes the unit's files.
SourceFrame call_site(Dwarf_Die *call, Dwarf_Die *unit) {
  SourceFrame site;
  Dwarf_Attribute attribute;
  Dwarf_Word file_index = 0, line = 0;
  Dwarf_Files *files = nullptr;
  size_t count = 0;
  if (dwarf_formudata(dwarf_attr(call, DW_AT_call_file, &attribute), &file_index) == 0 &&
      dwarf_getsrcfiles(unit, &files, &count) == 0 && file_index < count)
    if (const char *name = dwarf_filesrc(files, file_index, nullptr, nullptr))
      site.file = absolute(name, unit);
  if (dwarf_formudata(dwarf_attr(call, DW_AT_call_line, &attribute), &line) == 0)
    site.line = line;
  return site;
}

Dwarf *open_dwarf(const ElfFile &file) {
  return dwarf_begin_elf(file.elf(), DWARF_C_READ, nullptr);
}

} // namespace

std::unique_ptr<SourceFrames> SourceFrames::open(const std::string &path) {
  auto file = ElfFile::open(path);
  if (!file)
    return nullptr;
  if (Dwarf *dwarf = open_dwarf(*file))
    return std::unique_ptr<SourceFrames>(new SourceFrames(std::move(*file), dwarf));
  std::string debug_path = file->debug_file_path();
  if (debug_path.empty())
    return nullptr;
  auto debug = ElfFile::open(debug_path);
  if (!debug)
    return nullptr;
  if (Dwarf *dwarf = open_dwarf(*debug))
    return std::unique_ptr<SourceFrames>(new SourceFrames(std::move(*debug), dwarf));
  return nullptr;
}

SourceFrames::~SourceFrames() { dwarf_end(dwarf_); }

const std::vector<SourceFrame> &SourceFrames::at(uint64_t address) {
  auto found = by_address_.find(address);
  if (found == by_address_.end())
    found = by_address_.emplace(address, read(address)).first;
  return found->second;
}

std::vector<SourceFrame> SourceFrames::read(uint64_t address) const {
  Dwarf_Die unit;
  if (!dwarf_addrdie(dwarf_, address, &unit))
    return {};
  Dwarf_Line *line = dwarf_getsrc_die(&unit, address);
  int line_number = 0;
  const char *file = line ? dwarf_linesrc(line, nullptr, nullptr) : nullptr;
  if (!file || dwarf_lineno(line, &line_number) != 0)
    return {};
  std::vector<Dwarf_Die> calls;
  find_inlined_calls(&unit, address, calls);
  std::vector<SourceFrame> frames;
  SourceFrame where{"", absolute(file, &unit), static_cast<uint64_t>(line_number)};
  for (auto call = calls.rbegin(); call != calls.rend(); ++call) {
    const char *name = dwarf_diename(&*call);
    where.inlined_function = name ? name : "";
    frames.push_back(where);
    where = call_site(&*call, &unit);
  }
  frames.push_back(where);
  return frames;
}

} // namespace sonde::system
