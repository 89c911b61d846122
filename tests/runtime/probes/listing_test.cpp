// `-l` and `-lv` against the kernel's own tables (tracefs, BTF) and the
// trigger programs.

#include "probes_test_support.h"
#include "runtime/probes/listing.h"
#include "system/tracefs.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace sonde::probes::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> texts(const std::vector<ListedProbe> &probes) {
  std::vector<std::string> result;
  for (const ListedProbe &probe : probes)
    result.push_back(probe.text);
  return result;
}

std::vector<std::string> listed(const std::string &pattern) {
  return texts(list_probes(pattern, false));
}

TEST(Listing, TracepointsAreTracefsEvents) {
  auto root = system::tracefs::root();
  ASSERT_TRUE(root.ok());
  std::vector<std::string> expected;
  for (const auto &entry : std::filesystem::directory_iterator(*root + "/events/sched"))
    if (entry.is_directory())
      expected.push_back("tracepoint:sched:" + entry.path().filename().string());
  std::sort(expected.begin(), expected.end());
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(listed("tracepoint:sched:*"), expected);
  EXPECT_EQ(listed("t:sched:*"), expected);
  EXPECT_EQ(listed("tracepoint:sched:sched_switch"),
            std::vector<std::string>{"tracepoint:sched:sched_switch"});
}

// The declarations of a format file's own fields: "    const char * filename".
std::vector<std::string> format_fields(const std::string &path) {
  std::vector<std::string> fields;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    size_t start = line.find("field:");
    if (start == std::string::npos)
      continue;
    std::string declaration = line.substr(start + 6, line.find(';') - start - 6);
    if (declaration.find(" common_") == std::string::npos)
      fields.push_back("    " + declaration);
  }
  return fields;
}

TEST(Listing, VerboseTracepointsShowTheFormatsFields) {
  auto root = system::tracefs::root();
  ASSERT_TRUE(root.ok());
  for (std::string event :
       {"syscalls/sys_enter_openat", "sched/sched_switch", "sched/sched_process_exec"}) {
    std::string category = event.substr(0, event.find('/'));
    std::string name = event.substr(event.find('/') + 1);
    auto probes = list_probes("tracepoint:" + category + ":" + name, true);
    ASSERT_EQ(probes.size(), 1u);
    EXPECT_EQ(probes[0].details, format_fields(*root + "/events/" + event + "/format")) << event;
  }
  EXPECT_THAT(list_probes("tracepoint:syscalls:sys_enter_openat", true)[0].details,
              ElementsAre("    int __syscall_nr", "    int dfd", "    const char * filename",
                          "    int flags", "    umode_t mode"));
}

TEST(Listing, VerboseRawTracepointsShowTheBtfPrototype) {
  auto probes = list_probes("rawtracepoint:sched_switch", true);
  ASSERT_EQ(probes.size(), 1u);
  EXPECT_EQ(probes[0].text, "rawtracepoint:sched_switch");
  EXPECT_THAT(probes[0].details,
              ElementsAre("    bool preempt", "    struct task_struct * prev",
                          "    struct task_struct * next", "    unsigned int prev_state"));
}

TEST(Listing, UprobesAndUsdtProbesOfABinary) {
  std::string target = prog("probe_target");
  EXPECT_THAT(listed("uprobe:" + target + ":sonde_*"),
              ElementsAre("uprobe:" + target + ":sonde_add", "uprobe:" + target + ":sonde_describe",
                          "uprobe:" + target + ":sonde_locked",
                          "uprobe:" + target + ":sonde_trap"));
  EXPECT_THAT(listed("uprobe:" + target), Contains("uprobe:" + target + ":_ZN5sonde8functionEl"));
  EXPECT_THAT(listed("uretprobe:" + target + ":main"),
              ElementsAre("uretprobe:" + target + ":main"));
  EXPECT_THAT(listed("usdt:" + target),
              ElementsAre("usdt:" + target + ":sonde:guarded", "usdt:" + target + ":sonde:loop",
                          "usdt:" + target + ":sonde:memory", "usdt:" + target + ":sonde:twice"));
  EXPECT_THAT(listed("usdt:" + target + ":loop"), ElementsAre("usdt:" + target + ":sonde:loop"));
  auto verbose = list_probes("usdt:" + target + ":sonde:loop", true);
  ASSERT_EQ(verbose.size(), 1u);
  EXPECT_THAT(verbose[0].details, ElementsAre("    int64 arg0", "    int64 arg1"));
  // A bare wildcard names no binary: it matches executables of the current
  // directory, and an empty one has none.
  auto cwd = std::filesystem::current_path();
  auto empty = std::filesystem::temp_directory_path() / "sonde_listing_no_binaries";
  std::filesystem::create_directories(empty);
  std::filesystem::current_path(empty);
  EXPECT_THAT(listed("uprobe:*"), IsEmpty());
  std::filesystem::current_path(cwd);
  std::filesystem::remove(empty);
}

TEST(Listing, FixedSetsAndPatternsOverEveryProvider) {
  // Events and their short names, in byte order (as bpftrace lists them).
  EXPECT_THAT(listed("hardware:*"),
              ElementsAre("hardware:backend-stalls:", "hardware:branch-instructions:",
                          "hardware:branch-misses:", "hardware:branches:", "hardware:bus-cycles:",
                          "hardware:cache-misses:", "hardware:cache-references:",
                          "hardware:cpu-cycles:", "hardware:cycles:", "hardware:frontend-stalls:",
                          "hardware:instructions:", "hardware:ref-cycles:"));
  EXPECT_THAT(listed("software:cpu*"),
              ElementsAre("software:cpu-clock:", "software:cpu-migrations:", "software:cpu:"));
  EXPECT_THAT(listed("self:*"), ElementsAre("self:signal:SIGUSR1", "self:signal:SIGUSR2"));
  std::vector<std::string> everywhere = listed("*sched_switch");
  EXPECT_THAT(everywhere, Contains("tracepoint:sched:sched_switch"));
  EXPECT_THAT(everywhere, Contains("rawtracepoint:sched_switch"));
  EXPECT_THAT(listed("tracepoint"), Contains("tracepoint:sched:sched_switch"));
  // Kernel functions are listed only where the kernel can attach them.
  bool kprobes = access("/sys/bus/event_source/devices/kprobe", R_OK) == 0 ||
                 access("/sys/kernel/tracing/kprobe_events", W_OK) == 0;
  EXPECT_EQ(listed("kprobe:vfs_read"),
            kprobes ? std::vector<std::string>{"kprobe:vfs_read"} : std::vector<std::string>{});
  std::vector<std::string> fentry = listed("fentry:vfs_read");
  EXPECT_TRUE(fentry.empty() || fentry == std::vector<std::string>{"fentry:vmlinux:vfs_read"});
  EXPECT_EQ(listed("fentry:vmlinux:vfs_read"), fentry);
  EXPECT_THAT(listed("nothing_is_called_like_this*"), IsEmpty());
}

} // namespace
} // namespace sonde::probes::testing
