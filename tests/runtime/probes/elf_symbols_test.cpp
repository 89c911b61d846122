// Function symbols of the trigger programs and of libc, against readelf.

#include "probes_test_support.h"
#include "system/elf_symbols.h"
#include "system/ld_cache.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <set>
#include <sstream>
#include <unistd.h>

namespace sonde::probes::testing {
namespace {

// readelf's defined functions (FUNC and IFUNC, not undefined, not at 0) as
// "name address", default symbol versions only.
std::set<std::string> readelf_functions(const std::string &path, const std::string &tables) {
  std::set<std::string> functions;
  for (const std::string &line :
       lines_of(command_output("readelf -W " + tables + " " + path + " 2>/dev/null"))) {
    std::istringstream fields(line);
    std::string number, value, size, type, bind, visibility, index, name;
    if (!(fields >> number >> value >> size >> type >> bind >> visibility >> index >> name))
      continue;
    if ((type != "FUNC" && type != "IFUNC") || index == "UND" ||
        value.find_first_not_of('0') == std::string::npos)
      continue;
    if (size_t at = name.find('@'); at != std::string::npos) {
      if (name.compare(at, 2, "@@") != 0)
        continue; // an older version of the symbol
      name.erase(at);
    }
    functions.insert(name + " " + value.substr(value.find_first_not_of('0')));
  }
  return functions;
}

std::set<std::string> our_functions(const std::string &path) {
  auto functions = system::ElfSymbols::read(path);
  EXPECT_TRUE(functions.ok()) << (functions ? "" : functions.error());
  std::set<std::string> names;
  if (functions)
    for (const system::ElfSymbol *symbol : (*functions)->functions()) {
      char hex[32];
      snprintf(hex, sizeof(hex), "%llx", static_cast<unsigned long long>(symbol->address));
      names.insert(symbol->name + " " + hex);
    }
  return names;
}

TEST(ElfSymbols, TriggerProgramMatchesNm) {
  std::string target = prog("probe_target");
  std::set<std::string> ours = our_functions(target);
  std::set<std::string> expected = readelf_functions(target, "--syms");
  // readelf shows every table; a name defined twice keeps its first.
  for (const std::string &function : ours)
    EXPECT_TRUE(expected.count(function)) << function;
  std::set<std::string> names;
  for (const std::string &function : expected)
    names.insert(function.substr(0, function.find(' ')));
  EXPECT_EQ(ours.size(), names.size());
  auto functions = system::ElfSymbols::read(target);
  ASSERT_TRUE(functions.ok());
  ASSERT_NE((*functions)->function("sonde_add"), nullptr);
  ASSERT_NE((*functions)->function("_ZN5sonde8functionEl"), nullptr);
  EXPECT_EQ((*functions)->function("sonde_watched"), nullptr); // a variable
  EXPECT_GT((*functions)->function("sonde_add")->size, 0u);
}

TEST(ElfSymbols, SharedLibraryDynamicSymbols) {
  std::set<std::string> ours = our_functions(prog("libprobe_lib.so"));
  for (const std::string &function : readelf_functions(prog("libprobe_lib.so"), "--dyn-syms"))
    EXPECT_TRUE(ours.count(function)) << function;
}

TEST(ElfSymbols, StrippedLibraryUsesItsDebugFile) {
  auto libc = system::find_library("libc.so.6");
  ASSERT_TRUE(libc.has_value());
  std::set<std::string> ours = our_functions(*libc);
  for (const std::string &function : readelf_functions(*libc, "--dyn-syms"))
    EXPECT_TRUE(ours.count(function)) << function;
  std::string build_id = command_output("readelf -n " + *libc + " | awk '/Build ID/ {print $3}'");
  build_id.pop_back();
  std::string debug =
      "/usr/lib/debug/.build-id/" + build_id.substr(0, 2) + "/" + build_id.substr(2) + ".debug";
  if (access(debug.c_str(), R_OK) != 0)
    GTEST_SKIP() << "no debug file for libc (libc6-dbg)";
  // Local functions such as malloc_consolidate are only in the debug file.
  std::set<std::string> from_debug = readelf_functions(debug, "--syms");
  auto local = std::find_if(from_debug.begin(), from_debug.end(), [](const std::string &function) {
    return function.starts_with("malloc_consolidate ");
  });
  ASSERT_NE(local, from_debug.end());
  EXPECT_TRUE(ours.count(*local)) << *local;
}

TEST(ElfSymbols, ReadOncePerFileWhateverThePath) {
  std::string target = prog("probe_target");
  auto by_path = system::ElfSymbols::read(target);
  auto by_other_path = system::ElfSymbols::read("/proc/self/root" + target);
  ASSERT_TRUE(by_path.ok() && by_other_path.ok());
  EXPECT_EQ(by_path->get(), by_other_path->get());
  const system::ElfSymbol *add = (*by_path)->function("sonde_add");
  ASSERT_NE(add, nullptr);
  auto inside = (*by_path)->function_at(add->address + 1);
  ASSERT_TRUE(inside);
  EXPECT_EQ(inside->name, "sonde_add");
  EXPECT_EQ(inside->offset, 1u);
}

TEST(ElfSymbols, Errors) {
  EXPECT_EQ(system::ElfSymbols::read("/no/such/file").error(),
            "cannot open /no/such/file: No such file or directory");
  EXPECT_EQ(system::ElfSymbols::read("/etc/hostname").error(), "/etc/hostname is not an ELF file");
}

} // namespace
} // namespace sonde::probes::testing
