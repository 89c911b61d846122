#include "system/elf_file.h"
#include "system/unwind_rows.h"

#include <dlfcn.h>
#include <gtest/gtest.h>

namespace sonde::system {
namespace {

// A function of this test binary whose entry the rows must describe.
extern "C" __attribute__((noinline)) int sonde_unwind_rows_probe(int x) {
  __asm__ volatile("");
  return x + 1;
}

// The file offset of an address of this binary.
uint64_t own_file_offset(const void *address) {
  Dl_info info{};
  EXPECT_NE(dladdr(address, &info), 0);
  auto file = ElfFile::open("/proc/self/exe");
  EXPECT_TRUE(file) << file.error();
  uint64_t vaddr = reinterpret_cast<uint64_t>(address) -
                   (file->load_relative() ? reinterpret_cast<uint64_t>(info.dli_fbase) : 0);
  auto offset = file->file_offset(vaddr);
  EXPECT_TRUE(offset);
  return offset.value_or(0);
}

const UnwindRow *row_at(const std::vector<UnwindRow> &rows, uint64_t offset) {
  const UnwindRow *found = nullptr;
  for (const auto &row : rows)
    if (row.file_offset <= offset)
      found = &row;
  return found;
}

TEST(UnwindRows, SortedAndEachDifferentFromTheLast) {
  auto rows = unwind_rows("/proc/self/exe");
  ASSERT_TRUE(rows) << rows.error();
  ASSERT_GT(rows->size(), 100u);
  for (size_t i = 1; i < rows->size(); i++) {
    const auto &a = (*rows)[i - 1], &b = (*rows)[i];
    EXPECT_LT(a.file_offset, b.file_offset);
    EXPECT_FALSE(a.cfa_rule == b.cfa_rule && a.cfa_offset == b.cfa_offset &&
                 a.rbp_rule == b.rbp_rule && a.rbp_offset == b.rbp_offset);
  }
}

// At a function's first instruction the call has just pushed the return
// address: the CFA is rsp + 8, and rbp is still the caller's.
TEST(UnwindRows, FunctionEntryHasTheCfaJustAboveTheReturnAddress) {
  auto rows = unwind_rows("/proc/self/exe");
  ASSERT_TRUE(rows) << rows.error();
  const UnwindRow *row =
      row_at(*rows, own_file_offset(reinterpret_cast<void *>(&sonde_unwind_rows_probe)));
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->cfa_rule, SONDE_DW_CFA_RSP);
  EXPECT_EQ(row->cfa_offset, 8);
  EXPECT_EQ(row->rbp_rule, SONDE_DW_RBP_SAME);
  EXPECT_EQ(sonde_unwind_rows_probe(1), 2);
}

TEST(UnwindRows, AFileThatIsNotElfFailsNamingIt) {
  auto rows = unwind_rows("/proc/self/status");
  ASSERT_FALSE(rows);
  EXPECT_NE(rows.error().find("/proc/self/status"), std::string::npos) << rows.error();
}

} // namespace
} // namespace sonde::system
