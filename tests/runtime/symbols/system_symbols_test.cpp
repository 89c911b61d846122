// The rest of SystemSymbols: ksym/usym as bare names, user names, syscall
// names, probe names and timestamps.

#include "runtime/symbols/system_symbols.h"
#include "symbols_test_support.h"

#include <csignal>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern "C" __attribute__((noinline)) int system_symbols_marker(int x) {
  __asm__ volatile("");
  return x * 5;
}

namespace sonde::symbols {
namespace {

SystemSymbols make_symbols() {
  return SystemSymbols(
      {"BEGIN", "tracepoint:syscalls:sys_enter_getppid"},
      [](uint64_t) { return std::vector<uint64_t>(); }, output::StackMode::Bpftrace);
}

TEST(SystemSymbols, KsymAndUsymPrintBareNamesOrHex) {
  auto symbols = make_symbols();
  auto marker = reinterpret_cast<uint64_t>(&system_symbols_marker);
  EXPECT_EQ(symbols.usym(marker + 3, static_cast<uint64_t>(getpid())), "system_symbols_marker");
  EXPECT_EQ(symbols.usym(0x1000, static_cast<uint64_t>(getpid())), "0x1000");
  uint64_t vfs_read = symbols_test::kallsyms_address("vfs_read");
  ASSERT_NE(vfs_read, 0u);
  EXPECT_EQ(symbols.ksym(vfs_read + 5), "vfs_read");
  EXPECT_EQ(symbols.ksym(0x1000), "0x1000");
}

TEST(SystemSymbols, ARememberedProcessResolvesAfterItExited) {
  auto symbols = make_symbols();
  pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  symbols.remember_process(static_cast<uint64_t>(child));
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  EXPECT_EQ(symbols.usym(reinterpret_cast<uint64_t>(&system_symbols_marker),
                         static_cast<uint64_t>(child)),
            "system_symbols_marker");
}

TEST(SystemSymbols, UsernamesComeFromThePasswdDatabase) {
  auto symbols = make_symbols();
  EXPECT_EQ(symbols.username(0), "root");
  passwd *nobody = getpwnam("nobody");
  ASSERT_NE(nobody, nullptr);
  EXPECT_EQ(symbols.username(nobody->pw_uid), "nobody");
  uint64_t unused = 3999999999;
  ASSERT_EQ(getpwuid(static_cast<uid_t>(unused)), nullptr);
  EXPECT_EQ(symbols.username(unused), "");
}

TEST(SystemSymbols, SyscallNamesOfX86_64) {
  auto symbols = make_symbols();
  EXPECT_EQ(symbols.syscall_name(0), "read");
  EXPECT_EQ(symbols.syscall_name(SYS_getppid), "getppid");
  EXPECT_EQ(symbols.syscall_name(SYS_openat), "openat");
  EXPECT_EQ(symbols.syscall_name(334), "rseq");
  EXPECT_EQ(symbols.syscall_name(335), "uretprobe");
  EXPECT_EQ(symbols.syscall_name(424), "pidfd_send_signal");
  EXPECT_EQ(symbols.syscall_name(450), "set_mempolicy_home_node");
  EXPECT_EQ(symbols.syscall_name(462), "mseal");
  EXPECT_EQ(symbols.syscall_name(469), "file_setattr");
  EXPECT_EQ(symbols.syscall_name(400), "400");
  EXPECT_EQ(symbols.syscall_name(100000), "100000");
}

TEST(SystemSymbols, ProbeNamesAndTimestamps) {
  auto symbols = make_symbols();
  EXPECT_EQ(symbols.probe_name(1), "tracepoint:syscalls:sys_enter_getppid");
  EXPECT_EQ(symbols.probe_name(7), "7");
  EXPECT_EQ(symbols.timestamp(1'500'000, "%f"), "001500");
}

} // namespace
} // namespace sonde::symbols
