#include "system/dwarf_lines.h"

#include "system/elf_file.h"

#include <elfutils/libdw.h>
#include <optional>

namespace sonde::system {

namespace {

// Whether `path` names `file`: equal, or ending in "/" + file.
bool names_file(const std::string &path, const std::string &file) {
  if (path == file)
    return true;
  return path.size() > file.size() && path.ends_with(file) &&
         path[path.size() - file.size() - 1] == '/';
}

std::optional<uint64_t> lowest_address(Dwarf *dwarf, const std::string &file, uint64_t line,
                                       uint64_t column) {
  std::optional<uint64_t> lowest;
  Dwarf_CU *unit = nullptr;
  uint8_t unit_type = 0;
  Dwarf_Die unit_die;
  while (dwarf_get_units(dwarf, unit, &unit, nullptr, &unit_type, &unit_die, nullptr) == 0) {
    Dwarf_Lines *lines = nullptr;
    size_t count = 0;
    if (dwarf_getsrclines(&unit_die, &lines, &count) != 0)
      continue;
    for (size_t i = 0; i < count; i++) {
      Dwarf_Line *entry = dwarf_onesrcline(lines, i);
      int entry_line = 0, entry_column = 0;
      bool is_statement = false;
      Dwarf_Addr address = 0;
      const char *source = dwarf_linesrc(entry, nullptr, nullptr);
      if (!source || dwarf_lineno(entry, &entry_line) != 0 ||
          static_cast<uint64_t>(entry_line) != line ||
          dwarf_linebeginstatement(entry, &is_statement) != 0 || !is_statement ||
          dwarf_lineaddr(entry, &address) != 0 || !names_file(source, file))
        continue;
      if (column && (dwarf_linecol(entry, &entry_column) != 0 ||
                     static_cast<uint64_t>(entry_column) != column))
        continue;
      if (!lowest || address < *lowest)
        lowest = address;
    }
  }
  return lowest;
}

std::optional<uint64_t> address_in(const ElfFile &elf, const std::string &file, uint64_t line,
                                   uint64_t column) {
  Dwarf *dwarf = dwarf_begin_elf(elf.elf(), DWARF_C_READ, nullptr);
  if (!dwarf)
    return std::nullopt;
  auto address = lowest_address(dwarf, file, line, column);
  dwarf_end(dwarf);
  return address;
}

} // namespace

Expected<uint64_t> source_line_address(const std::string &binary, const std::string &file,
                                       uint64_t line, uint64_t column) {
  auto elf = ElfFile::open(binary);
  if (!elf)
    return error(elf.error());
  std::string where =
      file + ":" + std::to_string(line) + (column ? ":" + std::to_string(column) : std::string());
  if (auto address = address_in(*elf, file, line, column))
    return *address;
  std::string debug_path = elf->debug_file_path();
  if (!debug_path.empty())
    if (auto debug = ElfFile::open(debug_path))
      if (auto address = address_in(*debug, file, line, column))
        return *address;
  return error("no statement at " + where + " in the debug info of " + binary);
}

} // namespace sonde::system
