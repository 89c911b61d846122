// The session against the real kernel (root), driven by hand-written BPF
// objects that follow codegen's conventions (see script.bpf.c).

#include "runtime/output/output.h"
#include "runtime/probes/attach_point.h"
#include "runtime/session.h"

#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <iterator>
#include <sstream>
#include <unistd.h>

namespace sonde::runtime {
namespace {

using types::Kind;
using types::Type;

std::vector<uint8_t> read_object(const std::string &name) {
  std::ifstream in(std::string(SONDE_BPF_OBJECTS) + "/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

AttachTarget target(std::string provider, std::string spec, std::vector<std::string> fields,
                    uint64_t cookie) {
  return AttachTarget{std::move(provider), std::move(spec), std::move(fields), cookie};
}

CompiledScript counting_script(bool raw) {
  CompiledScript script;
  script.elf = read_object("script.bpf.o");
  script.programs = {
      ProgramInfo{"begin_0", "begin", false, {target("begin", "begin", {}, 0)}},
      ProgramInfo{"tracepoint_1",
                  "tracepoint",
                  raw,
                  {target("tracepoint", "tracepoint:syscalls:sys_enter_getppid",
                          {"syscalls", "sys_enter_getppid"}, 1)}},
      ProgramInfo{"end_2", "end", false, {target("end", "end", {}, 2)}},
  };
  script.maps = {
      MapInfo{"@c", "counts", Type::integer(8, false), Type::simple(Kind::Count), true, 16}};
  script.events = {
      EventInfo{EventKind::Printf, "begin %d\n", {EventArg{Type::integer(8, true), 0}}, 16},
      EventInfo{EventKind::PrintMap, "", {}, 16, 0, 0, 0},
      EventInfo{EventKind::Zero, "", {}, 16, 0},
  };
  script.probe_names = {"begin", "tracepoint:syscalls:sys_enter_getppid", "end"};
  script.ringbuf_elf_name = "events";
  script.lost_events_elf_name = "lost";
  return script;
}

struct RunResult {
  Expected<int> status = error("not run");
  std::string out;
  std::string err;
};

RunResult run(const CompiledScript &script, const SessionOptions &options) {
  RunResult result;
  std::ostringstream out, err;
  output::RawSymbols symbols(script.probe_names);
  output::ValueFormatter formatter(symbols);
  auto output = output::make_output(output::OutputFormat::Text, out, err, formatter);
  auto session = Session::load(script, *output, options);
  if (!session) {
    result.status = error(session.error());
    return result;
  }
  result.status = (*session)->run();
  result.out = out.str();
  result.err = err.str();
  return result;
}

std::string prog(const std::string &name) { return std::string(SONDE_PROGS_DIR) + "/" + name; }

class SessionTest : public ::testing::Test {
protected:
  void SetUp() override {
    if (geteuid() != 0)
      GTEST_SKIP() << "needs root";
  }
};

TEST_F(SessionTest, BeginTracepointEndAndMapsAtExit) {
  SessionOptions options;
  options.child_command = prog("getppid_loop") + " 5";
  RunResult r = run(counting_script(false), options);
  ASSERT_TRUE(r.status.ok()) << r.status.error();
  EXPECT_EQ(*r.status, 0);
  EXPECT_EQ(r.out, "begin 42\n@c[1]: 5\n\n\n@c[1]: 0\n");
  EXPECT_EQ(r.err, "Attached 3 probes\n");
}

TEST_F(SessionTest, RawTracepointWithCookie) {
  SessionOptions options;
  options.child_command = prog("getppid_loop") + " 5";
  RunResult r = run(counting_script(true), options);
  ASSERT_TRUE(r.status.ok()) << r.status.error();
  // As a raw tracepoint the program sees every system call of the child.
  EXPECT_THAT(r.out, ::testing::MatchesRegex("begin 42\n@c\\[1\\]: [0-9]+\n\n\n@c\\[1\\]: 0\n"));
}

TEST_F(SessionTest, ExitFromIntervalEndsTheRunWithItsCode) {
  CompiledScript script;
  script.elf = read_object("timers.bpf.o");
  script.programs = {
      ProgramInfo{
          "interval_0", "interval", false, {target("interval", "interval:ms:20", {"ms", "20"}, 0)}},
      ProgramInfo{"software_1",
                  "software",
                  false,
                  {target("software", "software:cpu-clock:1000000", {"cpu-clock", "1000000"}, 1)}},
  };
  script.events = {EventInfo{EventKind::Exit, "", {EventArg{Type::integer(8, true), 0}}, 16}};
  script.probe_names = {"interval:ms:20", "software:cpu-clock:1000000"};
  script.ringbuf_elf_name = "events";
  RunResult r = run(script, {});
  ASSERT_TRUE(r.status.ok()) << r.status.error();
  EXPECT_EQ(*r.status, 3);
  EXPECT_EQ(r.err, "Attached 2 probes\n");
}

TEST_F(SessionTest, VerifierRejectionNamesTheProbeAndTheReason) {
  CompiledScript script;
  script.elf = read_object("rejected.bpf.o");
  script.programs = {ProgramInfo{"begin_0", "begin", false, {target("begin", "begin", {}, 0)}}};
  RunResult r = run(script, {});
  ASSERT_FALSE(r.status.ok());
  // The object has line info: the reason names the source line the verifier stopped at.
  EXPECT_THAT(r.status.error(),
              ::testing::MatchesRegex("cannot load the program of probe begin: at "
                                      ".*rejected\\.bpf\\.c:[0-9]+: Permission denied\n(.|\n)*"));
  EXPECT_THAT(r.status.error(), ::testing::HasSubstr("invalid mem access 'scalar'"));
}

TEST_F(SessionTest, AttachFailureLeavesNothingAttached) {
  CompiledScript script = counting_script(false);
  script.programs[1].targets.push_back(
      target("tracepoint", "tracepoint:nope:nope", {"nope", "nope"}, 3));
  RunResult r = run(script, {});
  ASSERT_FALSE(r.status.ok());
  EXPECT_THAT(r.status.error(), ::testing::StartsWith("cannot attach tracepoint:nope:nope: "));
}

TEST_F(SessionTest, VerifyReportsEveryProgram) {
  auto stats = verify(counting_script(false), false);
  ASSERT_TRUE(stats.ok()) << stats.error();
  ASSERT_EQ(stats->size(), 3u);
  EXPECT_EQ((*stats)[1].function_name, "tracepoint_1");
  EXPECT_EQ((*stats)[1].probe, "tracepoint:syscalls:sys_enter_getppid");
  EXPECT_GT((*stats)[1].instructions, 5u);
  EXPECT_THAT((*stats)[1].verifier_stats, ::testing::HasSubstr("processed "));
}

TEST(AttachPoints, ShortNamesAndCanonicalForms) {
  auto expand = [](const std::string &raw) {
    auto specs = probes::expand_attach_point(raw);
    std::vector<std::string> texts;
    if (!specs)
      return std::vector<std::string>{"error: " + specs.error()};
    for (const auto &spec : *specs)
      texts.push_back(spec.text());
    return texts;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(expand("BEGIN"), V{"begin"});
  EXPECT_EQ(expand("end"), V{"end"});
  EXPECT_EQ(expand("i:s:1"), V{"interval:s:1"});
  EXPECT_EQ(expand("interval:1s"), V{"interval:s:1"});
  EXPECT_EQ(expand("p:hz:99"), V{"profile:hz:99"});
  // An event's alias stays as written (as `probe` prints it).
  EXPECT_EQ(expand("s:faults:"), V{"software:faults:100"});
  EXPECT_EQ(expand("software:cpu:5000"), V{"software:cpu:5000"});
  EXPECT_EQ(expand("software:cpu-clock:5000"), V{"software:cpu-clock:5000"});
  EXPECT_EQ(expand("interval:parsecs:3"),
            V{"error: unknown interval unit 'parsecs' (expected s, ms, us, ns or hz)"});
  EXPECT_EQ(expand("interval:s:0"), V{"error: invalid interval count '0': expected a positive "
                                      "integer"});
  EXPECT_EQ(expand("BEGIN:x"), V{"error: begin probes take no arguments"});
  EXPECT_EQ(expand("nope:x"), V{"error: unknown probe type 'nope'"});
  EXPECT_EQ(expand("t:sched:sched_switch"), V{"tracepoint:sched:sched_switch"});
  EXPECT_EQ(expand("tracepoint:sched:no_such_event"), V{});
  EXPECT_EQ(expand("t:syscalls:sys_enter_getpp*"), V{"tracepoint:syscalls:sys_enter_getppid"});
  EXPECT_EQ(expand("rt:sched_switc*"), V{"rawtracepoint:sched_switch"});
}

} // namespace
} // namespace sonde::runtime
