// Attach points: every provider's spelling reaches the AST as written.

#include "parser_test_support.h"

#include <gtest/gtest.h>

namespace sonde::parser::testing {
namespace {

// The raw attach points of the first probe of `text`.
std::vector<std::string> attach_points(const std::string &text,
                                       std::vector<std::string> params = {}) {
  Source source{"stdin", text};
  Diagnostics diags(source);
  ParseOptions options;
  options.params = std::move(params);
  auto program = parse(source, diags, options);
  EXPECT_TRUE(program) << diags.render();
  std::vector<std::string> raw;
  if (program && !program->probes.empty())
    for (const auto &ap : program->probes[0]->attach_points)
      raw.push_back(ap->raw);
  return raw;
}

using Raw = std::vector<std::string>;

TEST(ParserAttachPoint, EveryProviderSpelling) {
  for (const char *spec : {
           "BEGIN",
           "begin",
           "END",
           "end",
           "kprobe:vfs_read",
           "kprobe:do_sys_open+9",
           "kprobe:mod:fn",
           "kretprobe:vfs_read",
           "kprobe:vfs_*",
           "uprobe:/usr/lib/x86_64-linux-gnu/libc.so.6:malloc",
           "uprobe:/bin/bash:readline",
           "uprobe:./prog:main+4",
           "uprobe:/bin/bash:0xb8530",
           "uprobe:libc:malloc",
           "uretprobe:/bin/bash:readline",
           "uprobe:/bin/x:\"_ZN3foo3barEv\"",
           "uprobe:\"/path with spaces/bin\":fn",
           "usdt:./bin:provider:name",
           "usdt:/path/bin:name",
           "interval:s:1",
           "interval:1s",
           "interval:ms:100",
           "i:hz:2",
           "profile:hz:99",
           "p:ms:10",
           "tracepoint:syscalls:sys_enter_*",
           "tracepoint:syscalls:sys_enter_openat",
           "t:sched:*",
           "rawtracepoint:sched_switch",
           "software:cpu-clock:100000",
           "software:faults:",
           "hardware:cycles:1000000",
           "watchpoint:0x1000:8:rw",
           "fentry:vmlinux:fn",
           "fexit:vfs_read",
           "kfunc:vfs_read",
           "self:signal:SIGUSR1",
       }) {
    EXPECT_EQ(attach_points(std::string(spec) + " { }"), Raw{spec});
    EXPECT_EQ(attach_points(std::string(spec) + "{}"), Raw{spec});
    EXPECT_EQ(attach_points(std::string(spec) + " /1/ { }"), Raw{spec});
  }
}

TEST(ParserAttachPoint, CommaSeparatedLists) {
  EXPECT_EQ(attach_points("kprobe:a,kprobe:b, kprobe:c ,\n\n  kprobe:d\n{ }"),
            (Raw{"kprobe:a", "kprobe:b", "kprobe:c", "kprobe:d"}));
  EXPECT_EQ(attach_points("uprobe:/bin/bash:readline,uprobe:\"/a, b\":f { }"),
            (Raw{"uprobe:/bin/bash:readline", "uprobe:\"/a, b\":f"}));
}

TEST(ParserAttachPoint, PositionalParametersAreSubstituted) {
  EXPECT_EQ(attach_points("uprobe:$1:main { }", {"/bin/ls"}), Raw{"uprobe:/bin/ls:main"});
  EXPECT_EQ(attach_points("interval:ms:$2 { }", {"x", "250"}), Raw{"interval:ms:250"});
  EXPECT_EQ(attach_points("uprobe:\"$1\":$2+4 { }", {"/a b", "f"}), Raw{"uprobe:\"/a b\":f+4"});
}

TEST(ParserAttachPoint, MissingPositionalParameter) {
  EXPECT_EQ(parse_errors("uprobe:$1:main, uprobe:$3:f { }"),
            "stdin:1:8-10: ERROR: positional parameter $1 is used in an attach point but was not "
            "given\n"
            "uprobe:$1:main, uprobe:$3:f { }\n"
            "       ~~\n"
            "stdin:1:24-26: ERROR: positional parameter $3 is used in an attach point but was not "
            "given\n"
            "uprobe:$1:main, uprobe:$3:f { }\n"
            "                       ~~\n");
  EXPECT_EQ(parse_errors("uprobe:$0:main { }"),
            "stdin:1:8-10: ERROR: invalid positional parameter $0: parameters are numbered from "
            "$1\n"
            "uprobe:$0:main { }\n"
            "       ~~\n");
}

TEST(ParserAttachPoint, ProbesStartAnywhereOnALine) {
  Source source{"stdin", "BEGIN { } kprobe:f { }\n  END { }"};
  Diagnostics diags(source);
  auto program = parse(source, diags);
  ASSERT_TRUE(program) << diags.render();
  ASSERT_EQ(program->probes.size(), 3u);
  EXPECT_EQ(program->probes[1]->attach_points[0]->raw, "kprobe:f");
  EXPECT_EQ(program->probes[2]->attach_points[0]->raw, "END");
}

TEST(ParserAttachPoint, PathSlashesAreNotPredicates) {
  Source source{"stdin", "uprobe:/bin/bash:readline /pid == 1/ { }"};
  Diagnostics diags(source);
  auto program = parse(source, diags);
  ASSERT_TRUE(program) << diags.render();
  EXPECT_EQ(program->probes[0]->attach_points[0]->raw, "uprobe:/bin/bash:readline");
  EXPECT_TRUE(program->probes[0]->predicate);
}

TEST(ParserAttachPoint, Locations) {
  Source source{"stdin", "BEGIN { }\n  kprobe:a,\n kprobe:bb { }"};
  Diagnostics diags(source);
  auto program = parse(source, diags);
  ASSERT_TRUE(program) << diags.render();
  const auto &aps = program->probes[1]->attach_points;
  EXPECT_EQ(aps[0]->loc.begin_line, 2);
  EXPECT_EQ(aps[0]->loc.begin_col, 3);
  EXPECT_EQ(aps[0]->loc.end_col, 11);
  EXPECT_EQ(aps[1]->loc.begin_line, 3);
  EXPECT_EQ(aps[1]->loc.begin_col, 2);
  EXPECT_EQ(aps[1]->loc.end_col, 11);
  EXPECT_EQ(program->probes[1]->loc.begin_line, 2);
  EXPECT_EQ(program->probes[1]->loc.end_line, 3);
  EXPECT_EQ(program->probes[1]->loc.end_col, 15);
}

} // namespace
} // namespace sonde::parser::testing
