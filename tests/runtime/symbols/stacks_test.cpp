// Kernel and user stacks recorded by stacks.bpf.c at this process's own
// getppid() calls, read back through stack_trace_reader() and named by
// SystemSymbols in each stack mode.

#include "runtime/symbols/system_symbols.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>

namespace stack_test {

__attribute__((noinline)) long keep(long x) {
  __asm__ volatile("");
  return x;
}

// getppid() without libc, so that the innermost user frame is ours. It calls
// keep() after it: a leaf function gets no frame pointer, and the unwinder
// would miss its caller.
__attribute__((noinline)) long inner() {
  long result;
  __asm__ volatile("syscall" : "=a"(result) : "0"(SYS_getppid) : "rcx", "r11", "memory");
  return keep(result) + 1;
}

__attribute__((noinline)) long outer() {
  long result = inner();
  __asm__ volatile("");
  return result + 1;
}

} // namespace stack_test

namespace sonde::symbols {
namespace {

using output::StackFrame;
using output::StackMode;

struct Recorded {
  uint64_t kstack;
  uint64_t ustack;
  uint64_t pid;
};

// The object loaded and attached while stack_test::outer() runs; its maps
// stay readable until the fixture ends.
class StacksTest : public testing::Test {
protected:
  void SetUp() override {
    object_ = bpf_object__open_file(SONDE_BPF_OBJECTS "/stacks.bpf.o", nullptr);
    ASSERT_NE(object_, nullptr);
    bpf_map *rodata = bpf_object__find_map_by_name(object_, ".rodata");
    ASSERT_NE(rodata, nullptr);
    auto tgid = static_cast<uint32_t>(getpid());
    ASSERT_EQ(bpf_map__set_initial_value(rodata, &tgid, sizeof tgid), 0);
    ASSERT_EQ(bpf_object__load(object_), 0);
    bpf_program *program = bpf_object__find_program_by_name(object_, "record_stacks");
    bpf_link *link = bpf_program__attach_raw_tracepoint(program, "sys_enter");
    ASSERT_NE(link, nullptr);
    stack_test::outer();
    bpf_link__destroy(link);
    uint32_t zero = 0;
    ASSERT_EQ(bpf_map_lookup_elem(map_fd("recorded"), &zero, &recorded_), 0);
    ASSERT_EQ(recorded_.pid, static_cast<uint64_t>(getpid()));
  }

  void TearDown() override { bpf_object__close(object_); }

  int map_fd(const char *name) { return bpf_map__fd(bpf_object__find_map_by_name(object_, name)); }

  SystemSymbols symbols(StackMode mode) {
    return SystemSymbols({}, stack_trace_reader({map_fd("kernel_stacks"), map_fd("user_stacks")}),
                         mode);
  }

  bpf_object *object_ = nullptr;
  Recorded recorded_{};
};

bool has_frame(const std::vector<StackFrame> &frames, const std::string &prefix) {
  for (const auto &frame : frames)
    if (frame.symbol.rfind(prefix, 0) == 0)
      return true;
  return false;
}

std::string self_path() {
  char path[4096];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  return n > 0 ? std::string(path, static_cast<size_t>(n)) : "";
}

TEST_F(StacksTest, KernelFramesAreFunctionPlusOffset) {
  auto frames = symbols(StackMode::Bpftrace).kstack(recorded_.kstack);
  ASSERT_FALSE(frames.empty());
  EXPECT_TRUE(has_frame(frames, "do_syscall_64+"));
  for (const auto &frame : frames) {
    EXPECT_GE(frame.address, 0xffff800000000000u);
    EXPECT_NE(frame.symbol.find('+'), std::string::npos) << frame.symbol;
  }
}

TEST_F(StacksTest, UserFramesNameTheCallersInnermostFirst) {
  auto frames = symbols(StackMode::Bpftrace).ustack(recorded_.ustack, recorded_.pid);
  ASSERT_GE(frames.size(), 2u);
  EXPECT_LE(frames.size(), 8u); // the map holds ustack(8)
  EXPECT_EQ(frames[0].symbol.rfind("stack_test::inner()+", 0), 0u) << frames[0].symbol;
  EXPECT_EQ(frames[1].symbol.rfind("stack_test::outer()+", 0), 0u) << frames[1].symbol;
}

TEST_F(StacksTest, UserFramesCarryTheirModule) {
  auto frames = symbols(StackMode::Perf).ustack(recorded_.ustack, recorded_.pid);
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames[0].module, self_path());
  EXPECT_EQ(frames[0].symbol.rfind("stack_test::inner()+", 0), 0u) << frames[0].symbol;
}

TEST_F(StacksTest, RawModeKeepsOnlyAddresses) {
  auto frames = symbols(StackMode::Raw).kstack(recorded_.kstack);
  ASSERT_FALSE(frames.empty());
  for (const auto &frame : frames) {
    EXPECT_NE(frame.address, 0u);
    EXPECT_EQ(frame.symbol, "");
  }
}

TEST_F(StacksTest, UnknownIdsAndMapsReadAsEmptyStacks) {
  auto system = symbols(StackMode::Bpftrace);
  EXPECT_TRUE(system.kstack(63).empty());                 // no such stack
  EXPECT_TRUE(system.kstack(uint64_t{7} << 32).empty());  // no such map
  EXPECT_TRUE(system.kstack(0xfffffffffffffff2).empty()); // bpf_get_stackid() failed
}

} // namespace
} // namespace sonde::symbols
