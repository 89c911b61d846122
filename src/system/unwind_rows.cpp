#include "system/unwind_rows.h"

#include "system/elf_file.h"

#include <algorithm>
#include <cstring>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <gelf.h>
#include <memory>
#include <optional>

namespace sonde::system {

namespace {

constexpr int kRbp = 6; // DWARF register numbers on x86-64
constexpr int kRsp = 7;
constexpr int kReturnAddress = 16;

// The start addresses of the FDEs that .eh_frame_hdr's search table lists,
// sorted. Only the encodings linkers write are read: a udata4 count and a
// table of datarel sdata4 pairs.
std::optional<std::vector<uint64_t>> fde_starts(const ElfFile &file) {
  auto header = file.section(".eh_frame_hdr");
  if (!header)
    return std::nullopt;
  Elf_Data *data = elf_getdata(header->scn, nullptr);
  if (!data || data->d_size < 12)
    return std::nullopt;
  const auto *bytes = static_cast<const uint8_t *>(data->d_buf);
  uint8_t frame_pointer_encoding = bytes[1], count_encoding = bytes[2], table_encoding = bytes[3];
  constexpr uint8_t kUdata4 = 0x03, kSdata4 = 0x0b, kDatarelSdata4 = 0x3b;
  if (bytes[0] != 1 || (frame_pointer_encoding & 0x0f) != kSdata4 || count_encoding != kUdata4 ||
      table_encoding != kDatarelSdata4)
    return std::nullopt;
  uint32_t count = 0;
  std::memcpy(&count, bytes + 8, 4);
  if (12 + uint64_t{count} * 8 > data->d_size)
    return std::nullopt;
  std::vector<uint64_t> starts(count);
  for (uint32_t i = 0; i < count; i++) {
    int32_t relative = 0;
    std::memcpy(&relative, bytes + 12 + i * 8, 4);
    starts[i] = header->addr + static_cast<int64_t>(relative);
  }
  std::sort(starts.begin(), starts.end());
  return starts;
}

// The constant a register rule adds to the CFA, for the rule "saved at
// CFA + N" that libdw spells DW_OP_call_frame_cfa followed by additions.
std::optional<int64_t> offset_from_cfa(const Dwarf_Op *ops, size_t count) {
  if (count == 0 || ops[0].atom != DW_OP_call_frame_cfa)
    return std::nullopt;
  int64_t offset = 0;
  for (size_t i = 1; i < count; i++) {
    if (ops[i].atom == DW_OP_plus_uconst)
      offset += static_cast<int64_t>(ops[i].number);
    else if (ops[i].atom == DW_OP_consts && i + 1 < count && ops[i + 1].atom == DW_OP_plus)
      offset += static_cast<int64_t>(ops[i++].number);
    else
      return std::nullopt; // DW_OP_stack_value (a value, not a slot) or more
  }
  return offset;
}

// The row of one frame state, its rules reduced to the unwinder's.
UnwindRow row_of(Dwarf_Frame *frame) {
  UnwindRow row{};
  Dwarf_Op *ops = nullptr;
  size_t count = 0;
  if (dwarf_frame_cfa(frame, &ops, &count) == 0 && count == 1 && ops[0].atom == DW_OP_bregx &&
      (ops[0].number == kRsp || ops[0].number == kRbp)) {
    auto offset = static_cast<int64_t>(ops[0].number2);
    if (offset >= INT32_MIN && offset <= INT32_MAX) {
      row.cfa_rule = ops[0].number == kRsp ? SONDE_DW_CFA_RSP : SONDE_DW_CFA_RBP;
      row.cfa_offset = static_cast<int32_t>(offset);
    }
  }
  Dwarf_Op ops_mem[3];
  // The outermost frame (_start) says its return address is undefined.
  if (dwarf_frame_register(frame, kReturnAddress, ops_mem, &ops, &count) == 0 && count == 0 &&
      ops == ops_mem)
    row.cfa_rule = SONDE_DW_CFA_NONE;
  if (dwarf_frame_register(frame, kRbp, ops_mem, &ops, &count) == 0 && count > 0) {
    auto offset = offset_from_cfa(ops, count);
    if (offset && *offset >= INT16_MIN && *offset <= INT16_MAX) {
      row.rbp_rule = SONDE_DW_RBP_AT_CFA_OFFSET;
      row.rbp_offset = static_cast<int16_t>(*offset);
    }
  }
  return row;
}

bool same_rules(const UnwindRow &a, const UnwindRow &b) {
  return a.cfa_rule == b.cfa_rule && a.cfa_offset == b.cfa_offset && a.rbp_rule == b.rbp_rule &&
         a.rbp_offset == b.rbp_offset;
}

struct CfiDeleter {
  void operator()(Dwarf_CFI *cfi) const { dwarf_cfi_end(cfi); }
};

} // namespace

Expected<std::vector<UnwindRow>> unwind_rows(const std::string &path) {
  auto file = ElfFile::open(path);
  if (!file)
    return error(file.error());
  auto starts = fde_starts(*file);
  std::unique_ptr<Dwarf_CFI, CfiDeleter> cfi(dwarf_getcfi_elf(file->elf()));
  if (!starts || !cfi)
    return error(path + " has no .eh_frame_hdr to unwind its frames with");
  std::vector<UnwindRow> rows;
  auto add = [&](uint64_t address, UnwindRow row) {
    auto offset = file->file_offset(address);
    if (!offset)
      return;
    row.file_offset = *offset;
    if (!rows.empty() && rows.back().file_offset == row.file_offset)
      rows.pop_back();
    if (rows.empty() || !same_rules(rows.back(), row))
      rows.push_back(row);
  };
  for (size_t i = 0; i < starts->size(); i++) {
    uint64_t next = i + 1 < starts->size() ? (*starts)[i + 1] : UINT64_MAX;
    uint64_t address = (*starts)[i];
    while (address < next) {
      Dwarf_Frame *frame = nullptr;
      if (dwarf_cfi_addrframe(cfi.get(), address, &frame) != 0)
        break;
      Dwarf_Addr start = 0, end = 0;
      bool signal = false;
      dwarf_frame_info(frame, &start, &end, &signal);
      add(address, row_of(frame));
      free(frame);
      if (end <= address)
        break;
      address = end;
    }
    // Code after the FDE's end, up to the next FDE, has no rule.
    if (address < next)
      add(address, UnwindRow{});
  }
  return rows;
}

} // namespace sonde::system
