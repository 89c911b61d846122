// Kernel symbols from this machine's /proc/kallsyms (root sees addresses) and
// from written kallsyms files for the edge cases.

#include "symbols_test_support.h"
#include "system/kallsyms.h"

#include <cstdio>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace sonde::system {
namespace {

using symbols::symbols_test::kallsyms_address;
using ::testing::ElementsAre;

class KallsymsFile {
public:
  explicit KallsymsFile(const std::string &text)
      : path_("/tmp/sonde_kallsyms_" + std::to_string(getpid())) {
    std::ofstream(path_) << text;
  }
  ~KallsymsFile() { std::remove(path_.c_str()); }
  const std::string &path() const { return path_; }

private:
  std::string path_;
};

TEST(Kallsyms, NamesAddressesOfThisKernel) {
  uint64_t vfs_read = kallsyms_address("vfs_read");
  ASSERT_NE(vfs_read, 0u) << "kallsyms shows no addresses: not root?";
  Kallsyms &symbols = Kallsyms::get();
  auto at_start = symbols.symbol_at(vfs_read);
  ASSERT_TRUE(at_start);
  EXPECT_EQ(at_start->name, "vfs_read");
  EXPECT_EQ(at_start->offset, 0u);
  auto inside = symbols.symbol_at(vfs_read + 5);
  ASSERT_TRUE(inside);
  EXPECT_EQ(inside->name, "vfs_read");
  EXPECT_EQ(inside->offset, 5u);
}

TEST(Kallsyms, UserAddressesAreUnknown) {
  Kallsyms &symbols = Kallsyms::get();
  EXPECT_FALSE(symbols.symbol_at(0x1000));
  EXPECT_FALSE(symbols.symbol_at(0x7fff12345678));
}

TEST(Kallsyms, FirstListedAliasNamesAnAddressAndModulesAreStripped) {
  KallsymsFile file("ffffffff81000200 t second_func\n"
                    "ffffffff81000100 T _stext\n"
                    "ffffffff81000100 T first_func\n"
                    "ffffffffc0001000 t module_func\t[some_module]\n"
                    "0000000000000000 A fixed_percpu_data\n");
  Kallsyms symbols(file.path());
  auto aliased = symbols.symbol_at(0xffffffff81000108);
  ASSERT_TRUE(aliased);
  EXPECT_EQ(aliased->name, "_stext");
  EXPECT_EQ(aliased->offset, 8u);
  auto unsorted = symbols.symbol_at(0xffffffff81000200);
  ASSERT_TRUE(unsorted);
  EXPECT_EQ(unsorted->name, "second_func");
  auto module = symbols.symbol_at(0xffffffffc0001010);
  ASSERT_TRUE(module);
  EXPECT_EQ(module->name, "module_func");
  EXPECT_EQ(module->offset, 0x10u);
  EXPECT_FALSE(symbols.symbol_at(0xffffffff810000ff));
}

TEST(Kallsyms, HiddenAddressesResolveNothing) {
  KallsymsFile file("0000000000000000 T _stext\n"
                    "0000000000000000 T vfs_read\n");
  Kallsyms symbols(file.path());
  EXPECT_FALSE(symbols.symbol_at(0xffffffff81000000));
  EXPECT_FALSE(symbols.address_of("vfs_read"));
}

TEST(Kallsyms, AddressesByName) {
  KallsymsFile file("ffffffff81000200 t twice\n"
                    "ffffffff81000100 T first_func\n"
                    "ffffffffc0001000 t twice\t[some_module]\n");
  Kallsyms symbols(file.path());
  EXPECT_EQ(symbols.address_of("first_func"), 0xffffffff81000100u);
  EXPECT_EQ(symbols.address_of("twice"), 0xffffffff81000200u);
  EXPECT_FALSE(symbols.address_of("missing"));
  EXPECT_EQ(Kallsyms::get().address_of("vfs_read"), kallsyms_address("vfs_read"));
}

TEST(Kallsyms, FunctionsAreTextSymbolsWithoutPadding) {
  KallsymsFile file("ffffffff816bab70 T vfs_read\n"
                    "ffffffff816bab60 t __pfx_vfs_read\n"
                    "ffffffff82000000 D some_data\n"
                    "ffffffffc0000000 t helper\t[mod]\n");
  Kallsyms symbols(file.path());
  EXPECT_THAT(symbols.functions(),
              ElementsAre(KernelFunction{"vfs_read", ""}, KernelFunction{"helper", "mod"}));
}

} // namespace
} // namespace sonde::system
