#include "system/tracepoint_format.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sonde::system {
namespace {

// Real format files from Linux 6.18 (print fmt lines shortened).
constexpr const char *kOpenat = R"(name: sys_enter_openat
ID: 782
format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
	field:int common_pid;	offset:4;	size:4;	signed:1;

	field:int __syscall_nr;	offset:8;	size:4;	signed:1;
	field:int dfd;	offset:16;	size:8;	signed:0;
	field:const char * filename;	offset:24;	size:8;	signed:0;
	field:int flags;	offset:32;	size:8;	signed:0;
	field:umode_t mode;	offset:40;	size:8;	signed:0;

print fmt: "dfd: 0x%08lx, filename: 0x%08lx", ((unsigned long)(REC->dfd)), ((unsigned long)(REC->filename))
)";

constexpr const char *kSchedSwitch = R"(name: sched_switch
ID: 372
format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
	field:int common_pid;	offset:4;	size:4;	signed:1;

	field:char prev_comm[16];	offset:8;	size:16;	signed:0;
	field:pid_t prev_pid;	offset:24;	size:4;	signed:1;
	field:int prev_prio;	offset:28;	size:4;	signed:1;
	field:long prev_state;	offset:32;	size:8;	signed:1;
	field:char next_comm[16];	offset:40;	size:16;	signed:0;
	field:pid_t next_pid;	offset:56;	size:4;	signed:1;
	field:int next_prio;	offset:60;	size:4;	signed:1;

print fmt: "prev_comm=%s prev_pid=%d", REC->prev_comm, REC->prev_pid
)";

constexpr const char *kProcessExec = R"(name: sched_process_exec
ID: 365
format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
	field:int common_pid;	offset:4;	size:4;	signed:1;

	field:__data_loc char[] filename;	offset:8;	size:4;	signed:0;
	field:pid_t pid;	offset:12;	size:4;	signed:1;
	field:pid_t old_pid;	offset:16;	size:4;	signed:1;

print fmt: "filename=%s pid=%d old_pid=%d", __get_str(filename), REC->pid, REC->old_pid
)";

TracepointFormat parse_ok(const char *text) {
  std::string error;
  auto format = parse_tracepoint_format(text, error);
  EXPECT_TRUE(format.has_value()) << error;
  return format.value_or(TracepointFormat{});
}

TEST(TracepointFormat, SyscallEnterPointerAndIntegers) {
  TracepointFormat f = parse_ok(kOpenat);
  EXPECT_EQ(f.name, "sys_enter_openat");
  EXPECT_EQ(f.id, 782u);
  ASSERT_EQ(f.fields.size(), 9u);

  const TracepointField &type = f.fields[0];
  EXPECT_EQ(type.name, "common_type");
  EXPECT_EQ(type.type, "unsigned short");
  EXPECT_EQ(type.offset, 0u);
  EXPECT_EQ(type.size, 2u);
  EXPECT_FALSE(type.is_signed);
  EXPECT_TRUE(type.is_common());

  const TracepointField &filename = f.fields[6];
  EXPECT_EQ(filename.name, "filename");
  EXPECT_EQ(filename.type, "const char *");
  EXPECT_EQ(filename.offset, 24u);
  EXPECT_EQ(filename.size, 8u);
  EXPECT_FALSE(filename.array_length.has_value());
  EXPECT_FALSE(filename.data_loc);
  EXPECT_FALSE(filename.is_common());

  EXPECT_EQ(f.fields[4].name, "__syscall_nr");
  EXPECT_TRUE(f.fields[4].is_signed);
  EXPECT_EQ(f.fields[8].type, "umode_t");
}

TEST(TracepointFormat, FixedArrays) {
  TracepointFormat f = parse_ok(kSchedSwitch);
  ASSERT_EQ(f.fields.size(), 11u);
  const TracepointField &comm = f.fields[4];
  EXPECT_EQ(comm.name, "prev_comm");
  EXPECT_EQ(comm.type, "char");
  EXPECT_EQ(comm.array_length, 16u);
  EXPECT_EQ(comm.size, 16u);
  EXPECT_EQ(comm.offset, 8u);
  const TracepointField &state = f.fields[7];
  EXPECT_EQ(state.name, "prev_state");
  EXPECT_EQ(state.type, "long");
  EXPECT_TRUE(state.is_signed);
  EXPECT_EQ(f.fields[10].name, "next_prio");
  EXPECT_EQ(f.fields[10].offset, 60u);
}

TEST(TracepointFormat, DataLoc) {
  TracepointFormat f = parse_ok(kProcessExec);
  ASSERT_EQ(f.fields.size(), 7u);
  const TracepointField &filename = f.fields[4];
  EXPECT_EQ(filename.name, "filename");
  EXPECT_EQ(filename.type, "char");
  EXPECT_TRUE(filename.data_loc);
  EXPECT_FALSE(filename.rel_loc);
  EXPECT_FALSE(filename.array_length.has_value());
  EXPECT_EQ(filename.size, 4u);
  EXPECT_EQ(f.fields[5].type, "pid_t");
}

TEST(TracepointFormat, RelLocAndFlexibleArray) {
  TracepointFormat f = parse_ok("name: x\nID: 1\nformat:\n"
                                "\tfield:__rel_loc u8[] data;\toffset:8;\tsize:4;\tsigned:0;\n"
                                "\tfield:char buf[];\toffset:12;\tsize:0;\tsigned:0;\n");
  ASSERT_EQ(f.fields.size(), 2u);
  EXPECT_TRUE(f.fields[0].rel_loc);
  EXPECT_EQ(f.fields[0].type, "u8");
  EXPECT_EQ(f.fields[1].name, "buf");
  EXPECT_EQ(f.fields[1].array_length, 0u);
}

TEST(TracepointFormat, MissingSignedIsUnsigned) {
  TracepointFormat f = parse_ok("name: old\nID: 7\nformat:\n\tfield:int x;\toffset:8;\tsize:4;\n");
  ASSERT_EQ(f.fields.size(), 1u);
  EXPECT_EQ(f.fields[0].size, 4u);
  EXPECT_FALSE(f.fields[0].is_signed);
}

TEST(TracepointFormat, Errors) {
  std::string error;
  EXPECT_FALSE(parse_tracepoint_format("ID: 3\n", error).has_value());
  EXPECT_EQ(error, "no 'name:' line");
  EXPECT_FALSE(
      parse_tracepoint_format("name: a\nID: 3\n\tfield:int;\toffset:0;\tsize:4;\n", error));
  EXPECT_EQ(error, "line 3: bad field: field:int;\toffset:0;\tsize:4;");
  EXPECT_FALSE(parse_tracepoint_format("name: a\nID: x1\n", error));
  EXPECT_EQ(error, "line 2: bad ID: ID: x1");
  EXPECT_FALSE(parse_tracepoint_format("name: a\n\tfield:int v;\toffset:zero;\tsize:4;\n", error));
}

// Every format the running kernel offers must parse (needs a readable tracefs).
TEST(TracepointFormat, EveryFormatOfTheRunningKernel) {
  namespace fs = std::filesystem;
  const fs::path events = "/sys/kernel/tracing/events";
  std::error_code ec;
  if (!fs::is_directory(events, ec))
    GTEST_SKIP() << "tracefs is not mounted";
  int parsed = 0;
  for (const auto &category : fs::directory_iterator(events, ec)) {
    for (const auto &event : fs::directory_iterator(category.path(), ec)) {
      std::ifstream in(event.path() / "format");
      if (!in)
        continue;
      std::stringstream text;
      text << in.rdbuf();
      std::string error;
      auto format = parse_tracepoint_format(text.str(), error);
      ASSERT_TRUE(format.has_value()) << event.path() << ": " << error;
      EXPECT_EQ(format->name, event.path().filename().string());
      parsed++;
    }
  }
  if (parsed == 0)
    GTEST_SKIP() << "no readable format files";
}

} // namespace
} // namespace sonde::system
