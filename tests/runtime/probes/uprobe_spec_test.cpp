// uprobe/uretprobe attach points: binaries by path, $PATH and ld.so cache
// name, functions by name, offset, address, mangled name and wildcard.

#include "probes_test_support.h"
#include "runtime/probes/attach_point.h"
#include "system/ld_cache.h"

#include <cstdlib>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sonde::probes::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

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

TEST(UprobeSpec, QuotedFieldsKeepColonsAndLoseTheirQuotes) {
  auto spec = parse_attach_point("uprobe:\"/a:b/prog\":\"_ZN1a1bEv\"");
  ASSERT_TRUE(spec.ok()) << spec.error();
  EXPECT_EQ(spec->provider, "uprobe");
  EXPECT_THAT(spec->fields, ElementsAre("/a:b/prog", "_ZN1a1bEv"));
}

TEST(UprobeSpec, PathFunctionOffsetAndAddress) {
  std::string target = prog("probe_target");
  EXPECT_THAT(expanded("uprobe:" + target + ":sonde_add"),
              ElementsAre("uprobe:" + target + ":sonde_add"));
  EXPECT_THAT(expanded("u:" + target + ":sonde_add+1"),
              ElementsAre("uprobe:" + target + ":sonde_add+1"));
  EXPECT_THAT(expanded("ur:" + target + ":sonde_add"),
              ElementsAre("uretprobe:" + target + ":sonde_add"));
  EXPECT_THAT(expanded("uprobe:" + target + ":\"_ZN5sonde8functionEl\""),
              ElementsAre("uprobe:" + target + ":_ZN5sonde8functionEl"));
  std::string address = command_output("nm " + target + " | awk '$3 == \"sonde_add\" {print $1}'");
  address = "0x" + address.substr(address.find_first_not_of('0'));
  address.pop_back(); // newline
  EXPECT_THAT(expanded("uprobe:" + target + ":" + address),
              ElementsAre("uprobe:" + target + ":" + address));
}

TEST(UprobeSpec, WildcardsMatchTheBinarysFunctions) {
  std::string target = prog("probe_target");
  EXPECT_THAT(expanded("uprobe:" + target + ":sonde_*"),
              ElementsAre("uprobe:" + target + ":sonde_add", "uprobe:" + target + ":sonde_describe",
                          "uprobe:" + target + ":sonde_locked",
                          "uprobe:" + target + ":sonde_trap"));
  EXPECT_THAT(expanded("uprobe:" + prog("libprobe_lib.so") + ":*scale"),
              ElementsAre("uprobe:" + prog("libprobe_lib.so") + ":probe_lib_scale"));
  EXPECT_THAT(expanded("uprobe:" + prog("*probe_*") + ":probe_lib_scale"),
              ElementsAre("uprobe:" + prog("libprobe_lib.so") + ":probe_lib_scale"));
  EXPECT_THAT(expanded("uprobe:" + target + ":nothing_is_called_this*"), ElementsAre());
}

TEST(UprobeSpec, ShortNamesResolveThroughPathAndTheLdCache) {
  std::string saved_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  setenv("PATH", ("/nonexistent:" + std::string(SONDE_PROGS_DIR)).c_str(), 1);
  auto from_path = expand_attach_point("uprobe:probe_target:sonde_add");
  setenv("PATH", saved_path.c_str(), 1);
  ASSERT_TRUE(from_path.ok()) << from_path.error();
  EXPECT_THAT(from_path->front().fields, ElementsAre(prog("probe_target"), "sonde_add"));

  auto libc = system::find_library("libc");
  ASSERT_TRUE(libc.has_value());
  EXPECT_THAT(expanded("uprobe:libc:malloc"), ElementsAre("uprobe:" + *libc + ":malloc"));
  EXPECT_THAT(expanded("uprobe:libc.so.6:malloc"), ElementsAre("uprobe:" + *libc + ":malloc"));
}

TEST(UprobeSpec, Errors) {
  std::string target = prog("probe_target");
  EXPECT_EQ(expand_error("uprobe:" + target),
            "uprobe probes need a binary and a function: uprobe:<binary>:<function>");
  EXPECT_EQ(expand_error("uprobe:/no/such/file:f"),
            "uprobe target '/no/such/file' does not exist or is not a regular file");
  EXPECT_EQ(expand_error("uprobe:no_such_program_or_library:f"),
            "uprobe target 'no_such_program_or_library' is neither a program on $PATH nor a "
            "library in the ld.so cache");
  EXPECT_EQ(expand_error("uprobe:" + target + ":no_such_function"),
            "Could not resolve symbol: " + target + ":no_such_function");
  EXPECT_EQ(expand_error("uretprobe:" + target + ":sonde_add+4"),
            "uretprobe probes attach to a function's return; they take no offset");
  EXPECT_EQ(expand_error("uprobe:" + target + ":sonde_add+x"),
            "invalid offset in 'sonde_add+x': expected <function>+<number>");
  EXPECT_THAT(expand_error("uprobe:" + target + ":sonde_add+100000"),
              HasSubstr("Offset outside the function bounds ('sonde_add' size is "));
  EXPECT_EQ(expand_error("uprobe:" + target + ":0x1"),
            "Could not resolve address: " + target + ":0x1 (not in the executable code)");
  EXPECT_EQ(expand_error("uprobe:" + target + ":1"),
            "Could not resolve address: " + target + ":0x1 (not in the executable code)");
  EXPECT_EQ(expand_error("uprobe:" + target + ":sonde_*+4"),
            "a wildcard function cannot take an offset: 'sonde_*+4'");
}

} // namespace
} // namespace sonde::probes::testing
