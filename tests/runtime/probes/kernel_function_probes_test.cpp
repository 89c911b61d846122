// kprobe/kretprobe and fentry/fexit attach points against the kernel's own
// tables (kallsyms, BTF), and the one-line errors where this kernel cannot
// run them.

#include "probes_test_support.h"
#include "runtime/probes/attach_point.h"
#include "runtime/probes/listing.h"
#include "runtime/probes/probe_suggestion.h"
#include "system/kernel_functions.h"

#include <algorithm>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace sonde::probes::testing {
namespace {

using ::testing::Contains;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::StartsWith;

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

TEST(KernelFunctions, ParsesFilterFunctions) {
  EXPECT_THAT(
      system::parse_filter_functions("vfs_read\nfoo [mod]\nvfs_read\n"),
      ElementsAre(system::KernelFunction{"vfs_read", ""}, system::KernelFunction{"foo", "mod"}));
}

TEST(KernelFunctions, IncludeVfsRead) {
  EXPECT_THAT(system::kernel_functions(), Contains(system::KernelFunction{"vfs_read", ""}));
}

TEST(KprobeSpec, FunctionsOffsetsModulesAndWildcards) {
  EXPECT_THAT(expanded("kprobe:vfs_read"), ElementsAre("kprobe:vfs_read"));
  EXPECT_THAT(expanded("k:vfs_read+0x10"), ElementsAre("kprobe:vfs_read+0x10"));
  EXPECT_THAT(expanded("kprobe:vmlinux:vfs_read"), ElementsAre("kprobe:vfs_read"));
  EXPECT_THAT(expanded("kr:vfs_read"), ElementsAre("kretprobe:vfs_read"));
  std::vector<std::string> reads = expanded("kprobe:vfs_rea*");
  EXPECT_THAT(reads, Contains("kprobe:vfs_read"));
  EXPECT_THAT(reads, Each(StartsWith("kprobe:vfs_rea")));
  EXPECT_EQ(expand_error("kretprobe:vfs_read+4"),
            "kretprobe probes attach to a function's return; they take no offset");
  EXPECT_EQ(expand_error("kprobe:no_such_kernel_function"),
            "no kernel function 'no_such_kernel_function'");
  EXPECT_EQ(expand_error("kprobe:vfs_read+x"),
            "invalid offset in 'vfs_read+x': expected <function>+<number>");
  EXPECT_EQ(expand_error("kprobe:"),
            "kprobe probes need a kernel function: kprobe:[<module>:]<function>[+<offset>]");
}

TEST(ProbeSuggestion, SyscallsTracepointsAndTheRest) {
  EXPECT_EQ(nearest_working_probe("__x64_sys_getppid", false),
            "use tracepoint:syscalls:sys_enter_getppid instead");
  EXPECT_EQ(nearest_working_probe("ksys_read", true),
            "use tracepoint:syscalls:sys_exit_read instead");
  EXPECT_EQ(nearest_working_probe("openat", false),
            "use tracepoint:syscalls:sys_enter_openat instead");
  EXPECT_EQ(nearest_working_probe("sched_switch", false),
            "use tracepoint:sched:sched_switch instead");
  EXPECT_EQ(nearest_working_probe("vfs_read", false), "use a tracepoint (sonde -l 'tracepoint:*')");
}

class KernelAttach : public ::testing::Test {
protected:
  void SetUp() override {
    if (geteuid() != 0)
      GTEST_SKIP() << "needs root";
  }
};

TEST_F(KernelAttach, KprobesWithoutKprobesSayWhatToUseInstead) {
  if (access("/sys/bus/event_source/devices/kprobe", F_OK) == 0)
    GTEST_SKIP() << "this kernel has kprobes";
  // A kprobe program loads (the verifier checks it) but cannot attach.
  BpfPrograms programs("uprobe.bpf.o");
  programs.use(
      ProgramInfo{"uprobe_0", "kretprobe", false, {target("kretprobe", {"__x64_sys_getppid"}, 0)}});
  ASSERT_TRUE(programs.load().ok());
  auto status = programs.attach({});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error(), "cannot attach kretprobe:__x64_sys_getppid: this kernel has no kprobes "
                            "(built without CONFIG_KPROBES); use "
                            "tracepoint:syscalls:sys_exit_getppid instead");
}

TEST(FentrySpec, FunctionsFromTheKernelsBtf) {
  EXPECT_THAT(expanded("fentry:vfs_read"), ElementsAre("fentry:vmlinux:vfs_read"));
  EXPECT_THAT(expanded("kfunc:vfs_read"), ElementsAre("fentry:vmlinux:vfs_read"));
  EXPECT_THAT(expanded("fr:vmlinux:vfs_read"), ElementsAre("fexit:vmlinux:vfs_read"));
  EXPECT_THAT(expanded("kretfunc:vfs_read"), ElementsAre("fexit:vmlinux:vfs_read"));
  std::vector<std::string> reads = expanded("fentry:vfs_rea*");
  EXPECT_THAT(reads, Contains("fentry:vmlinux:vfs_read"));
  EXPECT_THAT(reads, Each(StartsWith("fentry:vmlinux:vfs_rea")));
  EXPECT_EQ(expand_error("fentry:no_such_kernel_function"),
            "no kernel function 'no_such_kernel_function' in the BTF of the kernel");
  EXPECT_EQ(expand_error("fentry:bpf:123:prog"),
            "fentry probes need a kernel function: fentry:[<module>:]<function>");
  EXPECT_EQ(expand_error("fentry:bpf:prog"), "fentry probes on BPF programs are not supported");
}

TEST(FentrySpec, VerboseListingShowsThePrototype) {
  auto probes = list_probes("fexit:vmlinux:vfs_read", true);
  if (probes.empty())
    GTEST_SKIP() << "this kernel loads no tracing programs: -l lists no fentry functions";
  ASSERT_EQ(probes.size(), 1u);
  EXPECT_EQ(probes[0].text, "fexit:vmlinux:vfs_read");
  // ssize_t vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
  EXPECT_THAT(probes[0].details,
              ElementsAre("    struct file * file", "    char * buf", "    size_t count",
                          "    loff_t * pos", "    ssize_t retval"));
}

TEST_F(KernelAttach, FentryWhereTheKernelRefusesTrampolinesSaysSoBeforeLoading) {
  BpfPrograms programs("uprobe.bpf.o");
  programs.use(
      ProgramInfo{"uprobe_0", "fentry", false, {target("fentry", {"vmlinux", "ksys_read"}, 0)}});
  auto status = programs.load();
  if (status.ok())
    GTEST_SKIP() << "this kernel loads fentry programs";
  EXPECT_EQ(status.error(), "cannot load fentry:vmlinux:ksys_read: this kernel refuses "
                            "fentry/fexit programs (Operation not permitted); use "
                            "tracepoint:syscalls:sys_enter_read instead");
}

TEST(FentrySpec, OneTargetPerProgram) {
  BpfPrograms programs("uprobe.bpf.o");
  programs.use(ProgramInfo{"uprobe_0",
                           "fentry",
                           false,
                           {target("fentry", {"vmlinux", "vfs_read"}, 0),
                            target("fentry", {"vmlinux", "vfs_write"}, 1)}});
  EXPECT_EQ(programs.load().error(), "an fentry program is bound to one function when it loads; "
                                     "this one has 2 targets");
}

} // namespace
} // namespace sonde::probes::testing
