// User symbols of this process (a PIE executable), of libc, of a library
// loaded late, and of forked children that exited.

#include "runtime/symbols/demangle.h"
#include "runtime/symbols/user_symbols.h"

#include <csignal>
#include <dlfcn.h>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

extern "C" __attribute__((noinline)) int symbols_test_marker(int x) {
  __asm__ volatile("");
  return x + 1;
}

namespace cpp_names {
__attribute__((noinline)) long twice(long x) {
  __asm__ volatile("");
  return 2 * x;
}
} // namespace cpp_names

namespace sonde::symbols {
namespace {

uint64_t address_of(const void *function) { return reinterpret_cast<uint64_t>(function); }

const uint64_t kSelf = static_cast<uint64_t>(getpid());

std::string self_path() {
  char path[4096];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  return n > 0 ? std::string(path, static_cast<size_t>(n)) : "";
}

// A child that waits to be killed, with this process's mappings.
pid_t fork_waiting_child() {
  pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  return child;
}

void kill_and_reap(pid_t child) {
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
}

TEST(UserSymbols, NamesFunctionsOfThisExecutableWithOffsets) {
  UserSymbols symbols;
  auto start = symbols.resolve(kSelf, address_of(reinterpret_cast<void *>(&symbols_test_marker)));
  ASSERT_TRUE(start);
  EXPECT_EQ(start->name, "symbols_test_marker");
  EXPECT_EQ(start->offset, 0u);
  EXPECT_EQ(start->module, self_path());
  auto inside =
      symbols.resolve(kSelf, address_of(reinterpret_cast<void *>(&symbols_test_marker)) + 2);
  ASSERT_TRUE(inside);
  EXPECT_EQ(inside->name, "symbols_test_marker");
  EXPECT_EQ(inside->offset, 2u);
}

TEST(UserSymbols, DemanglesCppNames) {
  UserSymbols symbols;
  auto symbol = symbols.resolve(kSelf, address_of(reinterpret_cast<void *>(&cpp_names::twice)));
  ASSERT_TRUE(symbol);
  EXPECT_EQ(symbol->name, "cpp_names::twice(long)");
}

TEST(UserSymbols, NamesFunctionsOfSharedLibraries) {
  UserSymbols symbols;
  void *getppid_address = dlsym(RTLD_DEFAULT, "getppid");
  ASSERT_NE(getppid_address, nullptr);
  auto symbol = symbols.resolve(kSelf, address_of(getppid_address));
  ASSERT_TRUE(symbol);
  // Any alias of that address will do, as long as it is one.
  EXPECT_EQ(dlsym(RTLD_DEFAULT, symbol->name.c_str()), getppid_address) << symbol->name;
  EXPECT_NE(symbol->module.find("libc.so"), std::string::npos) << symbol->module;
}

TEST(UserSymbols, ReadsTheMappingsAgainForALibraryLoadedLater) {
  UserSymbols symbols;
  ASSERT_TRUE(symbols.resolve(kSelf, address_of(reinterpret_cast<void *>(&symbols_test_marker))));
  void *library = dlopen(SONDE_LATE_LIBRARY, RTLD_NOW);
  ASSERT_NE(library, nullptr) << dlerror();
  void *triple = dlsym(library, "_ZN12symbols_late6tripleEi");
  ASSERT_NE(triple, nullptr);
  auto symbol = symbols.resolve(kSelf, address_of(triple) + 1);
  ASSERT_TRUE(symbol);
  EXPECT_EQ(symbol->name, "symbols_late::triple(int)");
  EXPECT_EQ(symbol->offset, 1u);
  EXPECT_EQ(symbol->module, SONDE_LATE_LIBRARY);
  dlclose(library);
}

TEST(UserSymbols, UnmappedAddressesAreUnknown) {
  UserSymbols symbols;
  EXPECT_FALSE(symbols.resolve(kSelf, 0x1000));
  int on_stack = 0;
  EXPECT_FALSE(symbols.resolve(kSelf, address_of(&on_stack)));
}

TEST(UserSymbols, ARememberedProcessResolvesAfterItExited) {
  UserSymbols symbols;
  pid_t child = fork_waiting_child();
  symbols.remember(static_cast<uint64_t>(child));
  kill_and_reap(child);
  auto symbol = symbols.resolve(static_cast<uint64_t>(child),
                                address_of(reinterpret_cast<void *>(&symbols_test_marker)));
  ASSERT_TRUE(symbol);
  EXPECT_EQ(symbol->name, "symbols_test_marker");
}

TEST(UserSymbols, AProcessThatExitedUnrememberedIsUnknown) {
  UserSymbols symbols;
  pid_t child = fork_waiting_child();
  kill_and_reap(child);
  EXPECT_FALSE(symbols.resolve(static_cast<uint64_t>(child),
                               address_of(reinterpret_cast<void *>(&symbols_test_marker))));
}

TEST(Demangle, LeavesCNamesAlone) {
  EXPECT_EQ(demangle("vfs_read"), "vfs_read");
  EXPECT_EQ(demangle("_ZN2ns1fEv"), "ns::f()");
  EXPECT_EQ(demangle("_Znot_mangled"), "_Znot_mangled");
}

} // namespace
} // namespace sonde::symbols
