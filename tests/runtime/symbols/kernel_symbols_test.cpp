// Kernel symbols from this machine's /proc/kallsyms (root sees addresses) and
// from written kallsyms files for the edge cases.

#include "symbols_test_support.h"
#include "system/kallsyms.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

namespace sonde::system {
namespace {

using symbols::symbols_test::kallsyms_address;

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

TEST(KernelSymbols, NamesAddressesOfThisKernel) {
  uint64_t vfs_read = kallsyms_address("vfs_read");
  ASSERT_NE(vfs_read, 0u) << "kallsyms shows no addresses: not root?";
  KernelSymbols symbols;
  auto at_start = symbols.resolve(vfs_read);
  ASSERT_TRUE(at_start);
  EXPECT_EQ(at_start->name, "vfs_read");
  EXPECT_EQ(at_start->offset, 0u);
  auto inside = symbols.resolve(vfs_read + 5);
  ASSERT_TRUE(inside);
  EXPECT_EQ(inside->name, "vfs_read");
  EXPECT_EQ(inside->offset, 5u);
}

TEST(KernelSymbols, UserAddressesAreUnknown) {
  KernelSymbols symbols;
  EXPECT_FALSE(symbols.resolve(0x1000));
  EXPECT_FALSE(symbols.resolve(0x7fff12345678));
}

TEST(KernelSymbols, FirstListedAliasNamesAnAddressAndModulesAreStripped) {
  KallsymsFile file("ffffffff81000200 t second_func\n"
                    "ffffffff81000100 T _stext\n"
                    "ffffffff81000100 T first_func\n"
                    "ffffffffc0001000 t module_func\t[some_module]\n"
                    "0000000000000000 A fixed_percpu_data\n");
  KernelSymbols symbols(file.path());
  auto aliased = symbols.resolve(0xffffffff81000108);
  ASSERT_TRUE(aliased);
  EXPECT_EQ(aliased->name, "_stext");
  EXPECT_EQ(aliased->offset, 8u);
  auto unsorted = symbols.resolve(0xffffffff81000200);
  ASSERT_TRUE(unsorted);
  EXPECT_EQ(unsorted->name, "second_func");
  auto module = symbols.resolve(0xffffffffc0001010);
  ASSERT_TRUE(module);
  EXPECT_EQ(module->name, "module_func");
  EXPECT_EQ(module->offset, 0x10u);
  EXPECT_FALSE(symbols.resolve(0xffffffff810000ff));
}

TEST(KernelSymbols, HiddenAddressesResolveNothing) {
  KallsymsFile file("0000000000000000 T _stext\n"
                    "0000000000000000 T vfs_read\n");
  KernelSymbols symbols(file.path());
  EXPECT_FALSE(symbols.resolve(0xffffffff81000000));
}

} // namespace
} // namespace sonde::system
