// Real scripts parse: bpftrace's tools as installed by Debian, the one-liners
// of the bpftrace documentation and tutorial, and our own examples.

#include "parser_test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sonde::parser::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> scripts_in(const fs::path &dir) {
  std::vector<fs::path> scripts;
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".bt")
      scripts.push_back(entry.path());
  std::sort(scripts.begin(), scripts.end());
  return scripts;
}

void expect_parses(const fs::path &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(parse_errors(text.str()), "") << path;
}

TEST(ParserScripts, BpftraceTools) {
  auto scripts = scripts_in("/usr/sbin");
  if (scripts.empty())
    GTEST_SKIP() << "no bpftrace tools in /usr/sbin";
  for (const auto &path : scripts)
    expect_parses(path);
}

TEST(ParserScripts, Examples) {
  auto scripts = scripts_in(fs::path(SONDE_SOURCE_DIR) / "examples");
  if (scripts.empty())
    GTEST_SKIP() << "no examples yet";
  for (const auto &path : scripts)
    expect_parses(path);
}

TEST(ParserScripts, DocumentationOneLiners) {
  for (
      const char *one_liner : {
          R"(BEGIN { printf("hello world\n"); })",
          R"(tracepoint:syscalls:sys_enter_openat { printf("%s %s\n", comm, str(args->filename)); })",
          R"(tracepoint:syscalls:sys_enter_openat { printf("%s %s\n", comm, str(args.filename)); })",
          R"(tracepoint:raw_syscalls:sys_enter { @[comm] = count(); })",
          R"(tracepoint:syscalls:sys_exit_read /pid == 18644/ { @bytes = hist(args->ret); })",
          R"(tracepoint:syscalls:sys_exit_read /args.ret/ { @[comm] = sum(args.ret); })",
          R"(kretprobe:vfs_read { @bytes = lhist(retval, 0, 2000, 200); })",
          R"(kprobe:vfs_read { @start[tid] = nsecs; }
              kretprobe:vfs_read /@start[tid]/ { @ns[comm] = hist(nsecs - @start[tid]);
                                                 delete(@start[tid]); })",
          R"(tracepoint:sched:sched* { @[probe] = count(); } interval:s:5 { exit(); })",
          R"(profile:hz:99 { @[kstack] = count(); })",
          R"(profile:hz:49 /pid == 189/ { @[ustack] = count(); })",
          R"(tracepoint:sched:sched_switch { @[kstack] = count(); })",
          R"(tracepoint:block:block_rq_issue { @ = hist(args->bytes); })",
          R"(kprobe:do_nanosleep { printf("PID %d sleeping...\n", pid); })",
          R"(tracepoint:syscalls:sys_enter_* { @[probe] = count(); })",
          R"(tracepoint:syscalls:sys_enter_execve { join(args->argv); })",
          R"(tracepoint:syscalls:sys_enter_execve { printf("%s\n", join(args.argv, ",")); })",
          R"(kprobe:vfs_* { @[func] = count(); })",
          R"(uretprobe:/bin/bash:readline { printf("%s\n", str(retval)); })",
          R"(uprobe:/bin/bash:readline { printf("arg0: %d\n", arg0); })",
          R"(usdt:/root/tick:loop { printf("%s: %d\n", str(arg0), arg1); })",
          R"(software:faults:1 { @[comm] = count(); })",
          R"(hardware:cache-misses:1000000 { @[comm, pid] = count(); })",
          R"(kprobe:do_sys_open { printf("%s: %s\n", comm, str(arg1)) })",
          R"(interval:ms:100 { @x = rand % 10; })",
          R"(i:s:1 { time("%H:%M:%S\n"); print(@x); clear(@x); })",
          R"(tracepoint:syscalls:sys_enter_read { @reads = count(); } interval:s:1 { print(@reads); zero(@reads); })",
          R"(kfunc:vmlinux:vfs_read { printf("%d\n", args->count); })",
          R"(fentry:vfs_read { @[comm] = count(); } fexit:vfs_read { @ret = hist(retval); })",
          R"(BEGIN { @[1, 2] = 3; @[4, 5] = 6; } END { for ($kv : @) { print($kv); } })",
          R"(kprobe:vfs_read { @x[(pid, comm)] = count(); })",
          R"(BEGIN { $t = (1, "abc"); printf("%d %s\n", $t.0, $t.1); exit(); })",
          R"(BEGIN { printf("%s\n", strftime("%H:%M:%S", nsecs)); exit(); })",
          R"(kprobe:tcp_connect { $sk = (struct sock *)arg0; printf("%s\n", ntop($sk->__sk_common.skc_daddr)); })",
          R"(tracepoint:syscalls:sys_enter_kill { printf("%d -> %d\n", pid, args->pid); })",
          R"(BEGIN { @start = nsecs; } END { printf("%d ms\n", (nsecs - @start) / 1000000); })",
          R"(watchpoint:0x10000000:8:rw { printf("hit\n"); })",
          R"(rawtracepoint:sched_switch { @[probe] = count(); })",
          R"(tracepoint:syscalls:sys_enter_openat /comm == "bash"/ { @[str(args->filename)] = count(); })",
          R"(BEGIN { $i = 0; while ($i < 10) { $i++; } unroll(5) { @x++; } exit(); })",
          R"(BEGIN { if (1) { printf("a\n"); } else if (2) { printf("b\n"); } else { printf("c\n"); } })",
          R"(t:syscalls:sys_enter_write /args->count > 100/ { @big[comm] = max(args->count); @small[comm] = min(args->count); @avg = avg(args->count); @st = stats(args->count); })",
      }) {
    EXPECT_EQ(parse_errors(one_liner), "") << one_liner;
  }
}

} // namespace
} // namespace sonde::parser::testing
