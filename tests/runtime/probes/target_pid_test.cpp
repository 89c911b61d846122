// Sessions whose uprobes follow one process: -p, ending when the process
// exits, and the -c child, attached before it executes its command (root).

#include "probes_test_support.h"
#include "runtime/output/output.h"
#include "runtime/output/symbols.h"
#include "runtime/session.h"

#include <atomic>
#include <chrono>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <iterator>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace sonde::probes::testing {
namespace {

using ::testing::HasSubstr;
using types::Type;

// A string stream that tells when something was written to it.
class WatchedStream : public std::stringbuf {
public:
  std::atomic<bool> written{false};

protected:
  std::streamsize xsputn(const char *text, std::streamsize count) override {
    std::streamsize n = std::stringbuf::xsputn(text, count);
    written = true;
    return n;
  }
};

// uprobe.bpf.o's uprobe_0 on probe_target's sonde_add; its hits map printed
// at exit as (count, sum of a, sum of b) per cookie.
CompiledScript counting_script() {
  std::ifstream in(bpf_object_path("uprobe.bpf.o"), std::ios::binary);
  CompiledScript script;
  script.elf.assign(std::istreambuf_iterator<char>(in), {});
  std::string spec = "uprobe:" + prog("probe_target") + ":sonde_add";
  script.programs = {
      ProgramInfo{
          "uprobe_0", "uprobe", false, {{"uprobe", spec, {prog("probe_target"), "sonde_add"}, 0}}},
      // The object's other programs, loaded but attached nowhere.
      ProgramInfo{"uretprobe_1", "uretprobe", false, {}},
      ProgramInfo{"usdt_2", "usdt", false, {}},
  };
  auto int64 = Type::integer(8, true);
  script.maps = {MapInfo{"@hits", "hits", Type::integer(4, false),
                         Type::tuple({int64, int64, int64}), false, 16}};
  script.probe_names = {spec};
  return script;
}

class TargetPid : public ::testing::Test {
protected:
  void SetUp() override {
    if (geteuid() != 0)
      GTEST_SKIP() << "needs root";
  }
};

TEST_F(TargetPid, UprobesFollowTheProcessAndTheRunEndsWithIt) {
  CompiledScript script = counting_script();
  Target traced(10), other(10);
  std::ostringstream out;
  WatchedStream err_buffer;
  std::ostream err(&err_buffer);
  output::RawSymbols symbols(script.probe_names);
  output::ValueFormatter formatter(symbols);
  auto output = output::make_output(output::OutputFormat::Text, out, err, formatter);
  runtime::SessionOptions options;
  options.target_pid = traced.pid();
  auto session = runtime::Session::load(script, *output, options);
  ASSERT_TRUE(session.ok()) << session.error();

  Expected<int> status = error("not run");
  std::thread runner([&] { status = (*session)->run(); });
  // "Attached 1 probe" on stderr: the probe is in place.
  for (int i = 0; i < 1000 && !err_buffer.written; i++)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  other.go();
  traced.go();
  int exit_status = 0;
  other.wait(exit_status);
  traced.wait(exit_status);
  runner.join(); // returns because the traced process exited
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_EQ(err_buffer.str(), "Attached 1 probe\n");
  EXPECT_THAT(out.str(), HasSubstr("@hits[0]: (10, 45, 20)\n"));
}

TEST_F(TargetPid, TheChildOfMinusCIsFollowedThroughItsExec) {
  CompiledScript script = counting_script();
  std::ostringstream out, err;
  output::RawSymbols symbols(script.probe_names);
  output::ValueFormatter formatter(symbols);
  auto output = output::make_output(output::OutputFormat::Text, out, err, formatter);
  runtime::SessionOptions options;
  options.child_command = prog("probe_target") + " 7";
  Target other(10); // not the child: not counted
  auto session = runtime::Session::load(script, *output, options);
  ASSERT_TRUE(session.ok()) << session.error();
  other.go();
  auto status = (*session)->run();
  int exit_status = 0;
  other.wait(exit_status);
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_THAT(out.str(), HasSubstr("@hits[0]: (7, 21, 14)\n"));
}

TEST_F(TargetPid, UsdtSemaphoresOfTheChildAreSetAfterItsExec) {
  CompiledScript script = counting_script();
  std::string spec = "usdt:" + prog("probe_target") + ":sonde:guarded";
  script.programs[0].targets.clear();
  script.programs[2].targets = {{"usdt", spec, {prog("probe_target"), "sonde", "guarded"}, 0}};
  script.probe_names = {spec};
  std::ostringstream out, err;
  output::RawSymbols symbols(script.probe_names);
  output::ValueFormatter formatter(symbols);
  auto output = output::make_output(output::OutputFormat::Text, out, err, formatter);
  runtime::SessionOptions options;
  options.child_command = prog("probe_target") + " 7";
  auto session = runtime::Session::load(script, *output, options);
  ASSERT_TRUE(session.ok()) << session.error();
  auto status = (*session)->run();
  ASSERT_TRUE(status.ok()) << status.error();
  // The probe fires only while its semaphore is set.
  EXPECT_THAT(out.str(), HasSubstr("@hits[0]: (7, 0, 0)\n"));
}

TEST_F(TargetPid, AProcessThatIsGoneIsAnError) {
  pid_t gone = fork();
  if (gone == 0)
    _exit(0);
  waitpid(gone, nullptr, 0);
  CompiledScript script = counting_script();
  std::ostringstream out, err;
  output::RawSymbols symbols(script.probe_names);
  output::ValueFormatter formatter(symbols);
  auto output = output::make_output(output::OutputFormat::Text, out, err, formatter);
  runtime::SessionOptions options;
  options.target_pid = gone;
  auto session = runtime::Session::load(script, *output, options);
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.error(), "cannot trace process " + std::to_string(gone) + ": No such process");
}

} // namespace
} // namespace sonde::probes::testing
