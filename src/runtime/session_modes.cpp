// --mode test and --mode bench: the session runs the test or bench programs
// itself (BPF_PROG_TEST_RUN on their raw tracepoint programs), in script
// order, after begin and before end.
//
// Run times are the kernel's own accounting of the program (bpf_prog_info's
// run_time_ns and run_cnt, kept while BPF_ENABLE_STATS is on), so the system
// call that starts each run is not counted.

#include "runtime/session.h"

#include "runtime/stop_signals.h"

#include <algorithm>
#include <array>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <chrono>
#include <cstring>
#include <sstream>
#include <unistd.h>

namespace sonde::runtime {

namespace {

// A bench probe runs this many times, or for this long, whichever ends first.
constexpr uint64_t kMaxBenchRuns = 1000000;
constexpr auto kBenchTime = std::chrono::milliseconds(200);
// Its output is read every so many runs, before the ring buffer fills.
constexpr uint64_t kRunsBetweenReads = 1024;

struct RunTime {
  uint64_t ns = 0;
  uint64_t runs = 0;
};

RunTime run_time(int program_fd) {
  bpf_prog_info info{};
  uint32_t size = sizeof(info);
  if (bpf_obj_get_info_by_fd(program_fd, &info, &size) != 0)
    return {};
  return {info.run_time_ns, info.run_cnt};
}

// One run; the program's return value, or nothing when the kernel refused.
Expected<uint32_t> run_once(int program_fd) {
  // A raw-tracepoint test run takes up to 12 u64 arguments; none are read.
  std::array<uint64_t, 12> args{};
  LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args.data(), .ctx_size_in = sizeof(args));
  if (bpf_prog_test_run_opts(program_fd, &opts) != 0)
    return error(std::strerror(errno));
  return opts.retval;
}

// NAME of `test:NAME` or `bench:NAME`.
std::string probe_name(const ProgramInfo &info) {
  if (info.targets.empty())
    return info.provider;
  const std::string &spec = info.targets.front().spec;
  return spec.substr(spec.find(':') + 1);
}

// Keeps the kernel's run-time accounting on while it lives.
class RunTimeStats {
public:
  RunTimeStats() : fd_(bpf_enable_stats(BPF_STATS_RUN_TIME)) {}
  ~RunTimeStats() {
    if (fd_ >= 0)
      close(fd_);
  }
  RunTimeStats(const RunTimeStats &) = delete;
  RunTimeStats &operator=(const RunTimeStats &) = delete;
  bool on() const { return fd_ >= 0; }

private:
  int fd_;
};

} // namespace

void Session::run_tests() {
  std::vector<const ObjectProgram *> tests;
  for (const ObjectProgram &program : object_.programs())
    if (program.provider->trigger() == probes::Trigger::Test)
      tests.push_back(&program);
  if (tests.empty())
    return;
  // What begin printed comes before the report.
  if (Status status = drain(); !status)
    output_.warning(status.error());
  RunTimeStats stats;
  std::vector<output::TestResult> results;
  for (const ObjectProgram *test : tests) {
    int fd = bpf_program__fd(test->program);
    errors_ = 0;
    exit_requested_ = false;
    exit_code_ = 0;
    std::ostringstream captured;
    output_.begin_capture(captured);
    RunTime before = run_time(fd);
    auto returned = run_once(fd);
    RunTime after = run_time(fd);
    Status drained = drain();
    output_.end_capture();
    output::TestResult result;
    result.name = probe_name(*test->info);
    result.nanoseconds = after.ns - before.ns;
    result.output = captured.str();
    if (!returned)
      result.output += "ERROR: cannot run the test: " + returned.error() + "\n";
    if (!drained)
      result.output += "ERROR: " + drained.error() + "\n";
    result.passed = returned && *returned == 0 && drained && errors_ == 0 && exit_code_ == 0;
    output_.test_result(result, results.size(), tests.size());
    results.push_back(std::move(result));
  }
  output_.test_summary(results);
  exit_requested_ = false;
  bool failed =
      std::any_of(results.begin(), results.end(), [](const auto &r) { return !r.passed; });
  exit_code_ = failed ? 1 : 0;
}

Status Session::run_benchmarks() {
  std::vector<const ObjectProgram *> benches;
  for (const ObjectProgram &program : object_.programs())
    if (program.provider->trigger() == probes::Trigger::Benchmark)
      benches.push_back(&program);
  if (benches.empty())
    return {};
  if (Status status = drain(); !status)
    return status;
  RunTimeStats stats;
  if (!stats.on())
    return error(std::string("cannot time bench probes (BPF_ENABLE_STATS): ") +
                 std::strerror(errno));
  for (const ObjectProgram *bench : benches) {
    int fd = bpf_program__fd(bench->program);
    RunTime before = run_time(fd);
    auto deadline = std::chrono::steady_clock::now() + kBenchTime;
    for (uint64_t runs = 0; runs < kMaxBenchRuns; runs++) {
      if (auto returned = run_once(fd); !returned)
        return error("cannot run bench probe " + probe_name(*bench->info) + ": " +
                     returned.error());
      if ((runs + 1) % kRunsBetweenReads == 0) {
        if (Status status = drain(); !status)
          return status;
        if (stop_requested() || std::chrono::steady_clock::now() >= deadline)
          break;
      }
    }
    if (Status status = drain(); !status)
      return status;
    RunTime after = run_time(fd);
    uint64_t runs = after.runs - before.runs;
    benchmarks_.push_back(
        {probe_name(*bench->info), runs ? (after.ns - before.ns) / runs : 0, runs});
    if (stop_requested())
      break;
  }
  std::sort(benchmarks_.begin(), benchmarks_.end(),
            [](const auto &a, const auto &b) { return a.name < b.name; });
  return {};
}

} // namespace sonde::runtime
