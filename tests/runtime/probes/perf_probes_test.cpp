// hardware, watchpoint and self:signal probes (root for attaching).

#include "probes_test_support.h"
#include "runtime/probes/attach_point.h"
#include "runtime/probes/perf_event.h"

#include <csignal>
#include <cstdio>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/perf_event.h>
#include <unistd.h>

namespace sonde::probes::testing {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> expanded(const std::string &raw) {
  auto specs = expand_attach_point(raw);
  EXPECT_TRUE(specs.ok()) << specs.error();
  std::vector<std::string> texts;
  if (specs)
    for (const AttachPointSpec &spec : *specs)
      texts.push_back(spec.text());
  return texts;
}

std::string expand_error(const std::string &raw) {
  auto specs = expand_attach_point(raw);
  return specs ? "(expanded)" : specs.error();
}

class PerfAttach : public ::testing::Test {
protected:
  void SetUp() override {
    if (geteuid() != 0)
      GTEST_SKIP() << "needs root";
  }
};

TEST(HardwareSpec, EventsAliasesAndDefaultCounts) {
  // An alias stays as written, as `probe` gives it back.
  EXPECT_THAT(expanded("hardware:cycles:1000"), ElementsAre("hardware:cycles:1000"));
  EXPECT_THAT(expanded("hardware:cpu-cycles:1000"), ElementsAre("hardware:cpu-cycles:1000"));
  EXPECT_THAT(expanded("h:cache-misses"), ElementsAre("hardware:cache-misses:1000000"));
  EXPECT_THAT(expanded("hardware:branch*:"),
              ElementsAre("hardware:branch-instructions:100000", "hardware:branch-misses:100000"));
  EXPECT_EQ(expand_error("hardware:cycle:1"), "unknown hardware event 'cycle'");
  EXPECT_EQ(expand_error("hardware:cycles:0"),
            "invalid hardware event count '0': expected a positive integer");
}

TEST_F(PerfAttach, HardwareEventsWithoutAPmuSayWhatToUseInstead) {
  PerfEventSpec cycles{PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 1000000, false};
  if (perf_event_probe(cycles) != ENOENT)
    GTEST_SKIP() << "this machine has a PMU";
  BpfPrograms programs("uprobe.bpf.o");
  programs.use(ProgramInfo{
      "uprobe_0", "hardware", false, {target("hardware", {"cpu-cycles", "1000000"}, 0)}});
  ASSERT_TRUE(programs.load().ok());
  EXPECT_EQ(programs.attach({}).error(),
            "cannot attach hardware:cpu-cycles:1000000: this machine's CPU counters do not "
            "offer the event (No such file or directory; virtual machines often have no PMU); "
            "use software:cpu-clock or profile:hz:99 instead");
}

TEST(WatchpointSpec, AddressLengthAndMode) {
  EXPECT_THAT(expanded("watchpoint:0x1000:8:w"), ElementsAre("watchpoint:0x1000:8:w"));
  EXPECT_THAT(expanded("w:4096:4:wr"), ElementsAre("watchpoint:0x1000:4:rw"));
  EXPECT_EQ(expand_error("watchpoint:0x1000:8"),
            "watchpoint probes need an address, a length and a mode: "
            "watchpoint:<address>:<1|2|4|8>:<r|w|x|rw>");
  EXPECT_EQ(expand_error("watchpoint:0x1001:8:w"),
            "watchpoint address 0x1001 is not aligned to its 8-byte length");
  EXPECT_EQ(expand_error("watchpoint:0x1000:3:w"),
            "invalid watchpoint length '3': expected 1, 2, 4 or 8");
  EXPECT_EQ(expand_error("watchpoint:0x1000:8:q"),
            "invalid watchpoint mode 'q': expected r, w, x or rw");
  EXPECT_EQ(expand_error("watchpoint:0x1000:1:x"), "an execution watchpoint (x) watches 8 bytes");
#if defined(__x86_64__)
  EXPECT_EQ(expand_error("watchpoint:0x1000:8:r"),
            "x86 debug registers cannot watch reads alone: use mode rw");
#endif
}

TEST_F(PerfAttach, WatchpointsFireOnWritesOfTheTracedProcess) {
  Target process(10);
  char address[32];
  snprintf(address, sizeof(address), "0x%llx",
           static_cast<unsigned long long>(process.watched_address()));
  BpfPrograms programs("uprobe.bpf.o");
  programs.use(
      ProgramInfo{"uprobe_0", "watchpoint", false, {target("watchpoint", {address, "8", "w"}, 3)}});
  auto status = programs.load_and_attach(process.pid());
  ASSERT_TRUE(status.ok()) << status.error();
  process.go();
  int exit_status = 0;
  process.wait(exit_status);
  EXPECT_EQ(programs.hits(3).count, 10u); // sonde_watched = i, once a round
}

TEST_F(PerfAttach, WatchpointsNeedAProcess) {
  BpfPrograms programs("uprobe.bpf.o");
  programs.use(ProgramInfo{
      "uprobe_0", "watchpoint", false, {target("watchpoint", {"0x1000", "8", "w"}, 0)}});
  ASSERT_TRUE(programs.load().ok());
  EXPECT_EQ(programs.attach({}).error(),
            "cannot attach watchpoint:0x1000:8:w: a watchpoint watches one process: give it with "
            "-p PID or -c CMD");
}

TEST(SelfSpec, Signals) {
  EXPECT_THAT(expanded("self:signal:SIGUSR1"), ElementsAre("self:signal:SIGUSR1"));
  EXPECT_THAT(expanded("self:signal:USR2"), ElementsAre("self:signal:SIGUSR2"));
  EXPECT_EQ(expand_error("self:signal:SIGINT"),
            "self:signal probes take SIGUSR1 or SIGUSR2, not 'SIGINT'");
  EXPECT_EQ(expand_error("self:timer:1"),
            "self probes name a signal sonde receives: self:signal:SIGUSR1");
}

volatile sig_atomic_t test_handler_runs = 0;
void test_handler(int) { test_handler_runs = test_handler_runs + 1; }

TEST_F(PerfAttach, SelfSignalRunsTheProgramUntilDetached) {
  struct sigaction mine {
  }, original{};
  mine.sa_handler = test_handler;
  sigemptyset(&mine.sa_mask);
  sigaction(SIGUSR1, &mine, &original);
  {
    BpfPrograms programs("signal.bpf.o");
    programs.use(ProgramInfo{
        "self_0",
        "self",
        false,
        {target("self", {"signal", "SIGUSR1"}, 0), target("self", {"signal", "SIGUSR1"}, 1)}});
    auto status = programs.load_and_attach(std::nullopt);
    ASSERT_TRUE(status.ok()) << status.error();
    raise(SIGUSR1);
    raise(SIGUSR1);
    EXPECT_EQ(programs.hits(0).count, 4u); // two signals, two targets each
    EXPECT_EQ(test_handler_runs, 0);
    programs.detach();
    raise(SIGUSR1);
    EXPECT_EQ(programs.hits(0).count, 4u);
    EXPECT_EQ(test_handler_runs, 1); // the previous handler is back
  }
  sigaction(SIGUSR1, &original, nullptr);
}

} // namespace
} // namespace sonde::probes::testing
