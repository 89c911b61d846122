// Uprobes, uretprobes and usdt probes attached through their providers to
// the running probe_target (root): hand-written programs count the hits per
// cookie and sum the arguments they read the way codegen reads them.

#include "probes_test_support.h"
#include "runtime/probes/provider.h"
#include "runtime/probes/unprobeable.h"
#include "runtime/probes/usdt.h"

#include <bpf/libbpf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace sonde::probes::testing {
namespace {

// uprobe.bpf.c's usdt_arg.
struct UsdtArgumentConfig {
  uint32_t kind;
  uint32_t size;
  uint32_t is_signed;
  uint32_t register_offset;
  int64_t value;
};

// Tells usdt_2 where the probe's arguments are.
void set_usdt_arguments(BpfPrograms &programs, const std::vector<UsdtArgument> &arguments) {
  bpf_map *rodata = bpf_object__find_map_by_name(programs.object(), ".rodata");
  size_t size = 0;
  auto *initial = static_cast<const uint8_t *>(bpf_map__initial_value(rodata, &size));
  ASSERT_GE(size, 2 * sizeof(UsdtArgumentConfig));
  std::vector<uint8_t> data(initial, initial + size);
  auto *config = reinterpret_cast<UsdtArgumentConfig *>(data.data());
  for (size_t i = 0; i < arguments.size() && i < 2; i++)
    config[i] = UsdtArgumentConfig{static_cast<uint32_t>(arguments[i].kind), arguments[i].size,
                                   arguments[i].is_signed, arguments[i].register_offset,
                                   arguments[i].value};
  ASSERT_EQ(bpf_map__set_initial_value(rodata, data.data(), data.size()), 0);
}

class UprobeAttach : public ::testing::Test {
protected:
  void SetUp() override {
    if (geteuid() != 0)
      GTEST_SKIP() << "needs root";
  }
};

constexpr long kRounds = 10;
constexpr int64_t kSumOfRounds = kRounds * (kRounds - 1) / 2; // 0 + 1 + … + 9

TEST_F(UprobeAttach, FunctionsOfTheProgramAndItsLibraryWithArgumentsAndReturnValues) {
  std::string binary = prog("probe_target");
  BpfPrograms programs("uprobe.bpf.o");
  programs.use(ProgramInfo{"uprobe_0",
                           "uprobe",
                           false,
                           {target("uprobe", {binary, "sonde_add"}, 0),
                            target("uprobe", {prog("libprobe_lib.so"), "probe_lib_scale"}, 1),
                            target("uprobe", {binary, "_ZN5sonde8functionEl"}, 2)}});
  programs.use(ProgramInfo{
      "uretprobe_1", "uretprobe", false, {target("uretprobe", {binary, "sonde_add"}, 3)}});
  Target process(kRounds);
  ASSERT_TRUE(programs.load_and_attach(process.pid()).ok());
  process.go();
  int status = 0;
  EXPECT_EQ(process.wait(status), "guarded 0\n");
  Hits add = programs.hits(0), scale = programs.hits(1), function = programs.hits(2),
       returned = programs.hits(3);
  EXPECT_EQ(add.count, kRounds);
  EXPECT_EQ(add.sum0, kSumOfRounds); // a = i
  EXPECT_EQ(add.sum1, 2 * kRounds);  // b = 2
  EXPECT_EQ(scale.count, kRounds);
  EXPECT_EQ(scale.sum0, kSumOfRounds); // x = i
  EXPECT_EQ(function.count, kRounds);
  EXPECT_EQ(function.sum0, kSumOfRounds);
  EXPECT_EQ(returned.count, kRounds);
  EXPECT_EQ(returned.sum0, kSumOfRounds + 2 * kRounds); // i + 2
}

TEST_F(UprobeAttach, OffsetsAndAddressesPlaceTheProbeInsideTheFunction) {
  std::string binary = prog("probe_target");
  std::string address = command_output("nm " + binary + " | awk '$3 == \"sonde_add\" {print $1}'");
  address = "0x" + address.substr(0, address.size() - 1);
  BpfPrograms programs("uprobe.bpf.o");
  programs.use(ProgramInfo{"uprobe_0", "uprobe", false, {target("uprobe", {binary, address}, 0)}});
  Target process(kRounds);
  ASSERT_TRUE(programs.load_and_attach(process.pid()).ok());
  process.go();
  int status = 0;
  process.wait(status);
  EXPECT_EQ(programs.hits(0).count, kRounds);
  EXPECT_EQ(programs.hits(0).sum0, kSumOfRounds);
}

TEST_F(UprobeAttach, SitesTheKernelRefusesAreSkippedWithAWarning) {
  std::string binary = prog("probe_target");
  BpfPrograms programs("uprobe.bpf.o");
  programs.use(ProgramInfo{"uprobe_0",
                           "uprobe",
                           false,
                           {target("uprobe", {binary, "sonde_locked"}, 1),
                            target("uprobe", {binary, "_ZN5sonde8functionEl"}, 2),
                            target("uprobe", {binary, "sonde_add"}, 0),
                            target("uprobe", {binary, "sonde_trap"}, 3)}});
  Target process(kRounds);
  ASSERT_TRUE(programs.load().ok());
  std::vector<std::string> warnings;
  auto status = programs.attach(
      {process.pid(), [&](const std::string &warning) { warnings.push_back(warning); }});
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_EQ(*status, 2u);
  // sonde_locked is recognised before attaching, sonde_trap by the kernel.
  EXPECT_THAT(warnings,
              ::testing::ElementsAre("skipped 2 of 4 probe sites in " + binary +
                                     " (the kernel cannot place a uprobe on that instruction): "
                                     "sonde_locked, sonde_trap"));
  process.go();
  int exit_status = 0;
  process.wait(exit_status);
  EXPECT_EQ(programs.hits(0).count, kRounds);
  EXPECT_EQ(programs.hits(1).count, 0u);
  EXPECT_EQ(programs.hits(2).count, kRounds);
}

TEST(Unprobeable, LockSegmentAndVexPrefixes) {
  using Bytes = std::vector<uint8_t>;
  auto check = [](Bytes bytes) { return unprobeable_instruction(bytes); };
  EXPECT_TRUE(check({0xf0, 0x48, 0xff, 0x07}));             // lock incq (%rdi)
  EXPECT_TRUE(check({0x66, 0xf0, 0x0f, 0xb1, 0x17}));       // lock after an operand-size prefix
  EXPECT_TRUE(check({0x3e, 0xff, 0xe0}));                   // ds (notrack) jmp *%rax
  EXPECT_TRUE(check({0xc5, 0xf9, 0x6e, 0xc6}));             // vmovd %esi,%xmm0
  EXPECT_TRUE(check({0xc4, 0xe2, 0x7d, 0x78, 0xc0}));       // vpbroadcastb %xmm0,%ymm0
  EXPECT_FALSE(check({0x64, 0x48, 0x8b, 0x04, 0x25}));      // fs: is allowed
  EXPECT_TRUE(check({0x62, 0xe2, 0x7d, 0x28, 0x7a, 0xce})); // vpbroadcastb %esi,%ymm17
  EXPECT_TRUE(check({0x62, 0xf1, 0xfd, 0x28, 0x6f, 0x07})); // vmovdqa64 (%rdi),%ymm0
  EXPECT_FALSE(check({0x48, 0x89, 0xe5}));                  // mov %rsp,%rbp
  EXPECT_FALSE(check({0xf3, 0x0f, 0x1e, 0xfa}));            // endbr64
  EXPECT_FALSE(check({}));
}

TEST_F(UprobeAttach, ASiteTheKernelRefusesAloneIsAnError) {
  std::string binary = prog("probe_target");
  BpfPrograms programs("uprobe.bpf.o");
  programs.use(
      ProgramInfo{"uprobe_0", "uprobe", false, {target("uprobe", {binary, "sonde_locked"}, 0)}});
  Target process(kRounds);
  auto status = programs.load_and_attach(process.pid());
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error(), "cannot attach uprobe:" + binary +
                                ":sonde_locked: the kernel cannot place a uprobe on that "
                                "instruction");
}

TEST_F(UprobeAttach, APidLimitsTheProbeToThatProcess) {
  BpfPrograms programs("uprobe.bpf.o");
  programs.use(ProgramInfo{
      "uprobe_0", "uprobe", false, {target("uprobe", {prog("probe_target"), "sonde_add"}, 0)}});
  Target traced(kRounds), other(2 * kRounds);
  ASSERT_TRUE(programs.load_and_attach(traced.pid()).ok());
  other.go();
  traced.go();
  int status = 0;
  other.wait(status);
  traced.wait(status);
  EXPECT_EQ(programs.hits(0).count, kRounds);
}

TEST_F(UprobeAttach, WithoutAPidEveryProcessCounts) {
  BpfPrograms programs("uprobe.bpf.o");
  programs.use(ProgramInfo{
      "uprobe_0", "uprobe", false, {target("uprobe", {prog("probe_target"), "sonde_add"}, 0)}});
  Target first(kRounds), second(2 * kRounds);
  ASSERT_TRUE(programs.load_and_attach(std::nullopt).ok());
  first.go();
  second.go();
  int status = 0;
  first.wait(status);
  second.wait(status);
  EXPECT_EQ(programs.hits(0).count, 3 * kRounds);
}

// Attaches usdt_2 to one probe of probe_target, reading its arguments as
// the note says, and runs the target.
struct UsdtRun {
  Hits hits;
  std::string output;
};

UsdtRun run_usdt(const std::string &name, std::vector<std::string> extra_fields = {}) {
  std::string binary = prog("probe_target");
  auto layouts = usdt_argument_layouts(binary, "sonde", name);
  EXPECT_TRUE(layouts.ok());
  size_t layout = extra_fields.empty() ? 0 : std::stoul(extra_fields[0]);
  std::vector<std::string> fields = {binary, "sonde", name};
  fields.insert(fields.end(), extra_fields.begin(), extra_fields.end());
  BpfPrograms programs("uprobe.bpf.o");
  programs.use(ProgramInfo{"usdt_2", "usdt", false, {target("usdt", fields, 0)}});
  set_usdt_arguments(programs, (*layouts)[layout].arguments);
  Target process(kRounds);
  auto status = programs.load_and_attach(process.pid());
  EXPECT_TRUE(status.ok()) << status.error();
  process.go();
  int exit_status = 0;
  UsdtRun run;
  run.output = process.wait(exit_status);
  run.hits = programs.hits(0);
  return run;
}

TEST_F(UprobeAttach, UsdtArgumentsInRegisters) {
  UsdtRun run = run_usdt("loop"); // (i, -i)
  EXPECT_EQ(run.hits.count, kRounds);
  EXPECT_EQ(run.hits.sum0, kSumOfRounds);
  EXPECT_EQ(run.hits.sum1, -kSumOfRounds);
}

TEST_F(UprobeAttach, UsdtArgumentsInMemory) {
  UsdtRun run = run_usdt("memory"); // (short)-i on the stack
  EXPECT_EQ(run.hits.count, kRounds);
  EXPECT_EQ(run.hits.sum0, -kSumOfRounds);
}

TEST_F(UprobeAttach, UsdtSemaphoreIsSetWhileAttached) {
  UsdtRun run = run_usdt("guarded"); // i, when the semaphore is set
  EXPECT_EQ(run.output, "guarded " + std::to_string(kRounds) + "\n");
  EXPECT_EQ(run.hits.count, kRounds);
  EXPECT_EQ(run.hits.sum0, kSumOfRounds);
}

TEST_F(UprobeAttach, UsdtSitesWithTheirOwnLayouts) {
  // sonde:twice passes $1 at its first site (even rounds), $2 at its second.
  UsdtRun first = run_usdt("twice", {"0"});
  EXPECT_EQ(first.hits.count, kRounds / 2);
  EXPECT_EQ(first.hits.sum0, kRounds / 2);
  UsdtRun second = run_usdt("twice", {"1"});
  EXPECT_EQ(second.hits.count, kRounds / 2);
  EXPECT_EQ(second.hits.sum0, 2 * (kRounds / 2));
}

} // namespace
} // namespace sonde::probes::testing
