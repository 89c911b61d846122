#include "output_test_support.h"
#include "runtime/output/value_formatter.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

namespace sonde::output {
namespace {

using testing::Bytes;
using testing::FakeSymbols;
using types::Kind;
using types::Type;

class Values : public ::testing::Test {
protected:
  std::string text(const Type &type, const Bytes &bytes, uint64_t div = 1) {
    return formatter.text(type, bytes.data(), div);
  }
  std::string json(const Type &type, const Bytes &bytes) {
    return formatter.json(type, bytes.data());
  }

  FakeSymbols symbols;
  ValueFormatter formatter{symbols};
};

TEST_F(Values, Integers) {
  EXPECT_EQ(text(*Type::integer(8, true), Bytes().put<int64_t>(0, -3)), "-3");
  EXPECT_EQ(text(*Type::integer(8, false), Bytes().put<int64_t>(0, -1)), "18446744073709551615");
  EXPECT_EQ(text(*Type::integer(1, true), Bytes().put<uint8_t>(0, 0xff)), "-1");
  EXPECT_EQ(text(*Type::integer(1, false), Bytes().put<uint8_t>(0, 0xff)), "255");
  EXPECT_EQ(text(*Type::integer(2, true), Bytes().put<int16_t>(0, -300)), "-300");
  EXPECT_EQ(text(*Type::integer(4, false), Bytes().put<uint32_t>(0, 4000000000u)), "4000000000");
  EXPECT_EQ(text(*Type::integer(8, true), Bytes().put<int64_t>(0, -70), 7), "-10");
  EXPECT_EQ(json(*Type::integer(4, true), Bytes().put<int32_t>(0, -5)), "-5");
  // Every digit, as bpftrace writes them, even beyond what a double holds.
  EXPECT_EQ(json(*Type::integer(8, false), Bytes().put<uint64_t>(0, (1ull << 53) + 1)),
            "9007199254740993");
  EXPECT_EQ(json(*Type::integer(8, false), Bytes().put<int64_t>(0, -1)), "18446744073709551615");
  EXPECT_EQ(json(*Type::integer(8, false), Bytes().put<uint64_t>(0, 1ull << 60)),
            "1152921504606846976");
}

TEST_F(Values, Bool) {
  EXPECT_EQ(text(*Type::boolean(), Bytes().put<uint8_t>(0, 1)), "true");
  EXPECT_EQ(text(*Type::boolean(), Bytes().put<uint8_t>(0, 0)), "false");
  EXPECT_EQ(json(*Type::boolean(), Bytes().put<uint8_t>(0, 1)), "true");
}

TEST_F(Values, Strings) {
  auto s = Type::string(8);
  EXPECT_EQ(text(*s, Bytes(8).put_string(0, "abc")), "abc");
  EXPECT_EQ(text(*s, Bytes(8).put_string(0, "ab").put_string(3, "zz")), "ab");
  // No NUL inside the buffer: the string was truncated.
  EXPECT_EQ(text(*s, Bytes(8).put_string(0, "abcdefgh")), "abcdefgh..");
  EXPECT_EQ(json(*s, Bytes(8).put_string(0, "a\"b\\\n\t")), "\"a\\\"b\\\\\\n\\t\"");
  EXPECT_EQ(json(*s, Bytes(8).put_string(0, "\x01")), "\"\\u0001\"");
}

TEST_F(Values, Buffers) {
  auto buf = Type::buffer(8);
  Bytes b = Bytes(12).put<uint32_t>(0, 5).put_string(4, std::string("ab\x01\n\xff", 5));
  EXPECT_EQ(text(*buf, b), "ab\\x01\\x0a\\xff");
  EXPECT_EQ(json(*buf, b), "[97,98,1,10,255]");
  // A length beyond the capacity is clamped.
  EXPECT_EQ(text(*buf, Bytes(12).put<uint32_t>(0, 99).put_string(4, "12345678")), "12345678");
}

TEST_F(Values, TuplesRecordsArrays) {
  auto i64 = Type::integer(8, true);
  auto inner = Type::tuple({Type::integer(4, false), Type::string(4)});
  auto tuple = Type::tuple({i64, Type::string(4), inner});
  ASSERT_EQ(tuple->fields[2].offset, 12u);
  Bytes b = Bytes(tuple->size)
                .put<int64_t>(0, 1)
                .put_string(8, "a")
                .put<uint32_t>(12, 2)
                .put_string(16, "b");
  EXPECT_EQ(text(*tuple, b), "(1, a, (2, b))");
  EXPECT_EQ(json(*tuple, b), "[1,\"a\",[2,\"b\"]]");

  auto record = Type::record({"a", "name"}, {i64, Type::string(4)});
  Bytes r = Bytes(record->size).put<int64_t>(0, 1).put_string(8, "x");
  EXPECT_EQ(text(*record, r), "{ .a = 1, .name = x }");
  EXPECT_EQ(json(*record, r), "{\"a\": 1, \"name\": \"x\"}");

  auto array = Type::array(Type::integer(4, true), 3);
  Bytes a = Bytes(12).put<int32_t>(0, 1).put<int32_t>(4, -2).put<int32_t>(8, 3);
  EXPECT_EQ(text(*array, a), "[1,-2,3]");
  EXPECT_EQ(json(*array, a), "[1,-2,3]");
}

TEST_F(Values, StructsWithBitfields) {
  auto s = std::make_shared<Type>();
  s->kind = Kind::Struct;
  s->name = "struct flags";
  s->size = 8;
  auto u32 = Type::integer(4, false);
  auto i32 = Type::integer(4, true);
  s->fields.push_back({"low", u32, 0, 0, 3});
  s->fields.push_back({"high", i32, 0, 3, 4});
  s->fields.push_back({"next", u32, 4});
  // low = 5, high = -2 (0b1110), next = 9.
  Bytes b = Bytes(8).put<uint32_t>(0, 5u | (0xeu << 3)).put<uint32_t>(4, 9);
  EXPECT_EQ(text(*s, b), "{ .low = 5, .high = -2, .next = 9 }");
  EXPECT_EQ(json(*s, b), "{\"low\": 5, \"high\": -2, \"next\": 9}");

  auto empty = std::make_shared<Type>();
  empty->kind = Kind::Struct;
  EXPECT_EQ(text(*empty, Bytes(1)), "{}");
}

TEST_F(Values, Pointers) {
  auto p = Type::pointer(Type::integer(4, true));
  EXPECT_EQ(text(*p, Bytes().put<uint64_t>(0, 0xffff8880deadbeef)), "0xffff8880deadbeef");
  EXPECT_EQ(text(*p, Bytes().put<uint64_t>(0, 0)), "0x0");
  EXPECT_EQ(json(*p, Bytes().put<uint64_t>(0, 4096)), "4096");
}

TEST_F(Values, SymbolizedKinds) {
  EXPECT_EQ(text(*Type::simple(Kind::Ksym), Bytes().put<uint64_t>(0, 7)), "ksym_7");
  EXPECT_EQ(text(*Type::simple(Kind::Usym), Bytes().put<uint64_t>(0, 7).put<uint64_t>(8, 42)),
            "usym_7_42");
  EXPECT_EQ(text(*Type::simple(Kind::Username), Bytes().put<uint64_t>(0, 0)), "root");
  EXPECT_EQ(text(*Type::simple(Kind::ProbeName), Bytes().put<uint64_t>(0, 2)), "probe2");
  EXPECT_EQ(text(*Type::simple(Kind::SyscallName), Bytes().put<uint64_t>(0, 39)), "getpid");
  EXPECT_EQ(text(*Type::simple(Kind::CgroupPath), Bytes().put<uint64_t>(0, 5)), "*:/sys/fs/cgroup/5");
  Type filtered = *Type::simple(Kind::CgroupPath);
  filtered.name = "unified";
  EXPECT_EQ(text(filtered, Bytes().put<uint64_t>(0, 5)), "unified:/sys/fs/cgroup/5");
  EXPECT_EQ(json(*Type::simple(Kind::Ksym), Bytes().put<uint64_t>(0, 7)), "\"ksym_7\"");

  auto ts = std::make_shared<Type>(*Type::simple(Kind::Timestamp));
  EXPECT_EQ(text(*ts, Bytes().put<uint64_t>(0, 5)), "%H:%M:%S@5");
  ts->name = "%Y";
  EXPECT_EQ(text(*ts, Bytes().put<uint64_t>(0, 5)), "%Y@5");
}

TEST_F(Values, Stacks) {
  Bytes id = Bytes().put<uint64_t>(0, 3).put<uint64_t>(8, 77);
  EXPECT_EQ(text(*Type::simple(Kind::KStack), id),
            "\n        do_thing+16\n        0xffffffff81000200\n        entry_3+0\n");
  EXPECT_EQ(text(*Type::simple(Kind::UStack), id), "\n        main+77\n");
  EXPECT_EQ(json(*Type::simple(Kind::UStack), id), "\"\\n        main+77\\n\"");

  ValueFormatter perf(symbols, StackMode::Perf);
  EXPECT_EQ(perf.text(*Type::simple(Kind::KStack), id.data()),
            "\n\tffffffff81000010 do_thing+16\n\tffffffff81000200 [unknown]\n"
            "\tffffffff81000300 entry_3+0\n");
  ValueFormatter raw(symbols, StackMode::Raw);
  EXPECT_EQ(raw.text(*Type::simple(Kind::UStack), id.data()), "\n401000\n");
}

TEST_F(Values, NetworkAndErrno) {
  auto inet = Type::simple(Kind::Inet);
  Bytes v4 = Bytes(24).put<uint64_t>(0, AF_INET);
  uint8_t addr4[4] = {127, 0, 0, 1};
  for (int i = 0; i < 4; i++)
    v4.put<uint8_t>(8 + i, addr4[i]);
  EXPECT_EQ(text(*inet, v4), "127.0.0.1");
  Bytes v6 = Bytes(24)
                 .put<uint64_t>(0, AF_INET6)
                 .put<uint8_t>(8, 0xfe)
                 .put<uint8_t>(9, 0x80)
                 .put<uint8_t>(23, 1);
  EXPECT_EQ(text(*inet, v6), "fe80::1");
  EXPECT_EQ(text(*inet, Bytes(24).put<uint64_t>(0, 99)), "[unknown address family 99]");

  Bytes mac(6);
  uint8_t m[6] = {0x00, 0x1b, 0x2c, 0xaa, 0xbb, 0x0f};
  for (int i = 0; i < 6; i++)
    mac.put<uint8_t>(i, m[i]);
  EXPECT_EQ(text(*Type::simple(Kind::MacAddr), mac), "00:1B:2C:AA:BB:0F");
  EXPECT_EQ(text(*Type::simple(Kind::Errno), Bytes().put<uint64_t>(0, 2)),
            "No such file or directory");
}

TEST_F(Values, Aggregations) {
  EXPECT_EQ(text(*Type::simple(Kind::Count), Bytes().put<uint64_t>(0, 10), 3), "3");
  EXPECT_EQ(text(*Type::simple(Kind::Sum), Bytes().put<int64_t>(0, -4)), "-4");
  EXPECT_EQ(text(*Type::simple(Kind::Min), Bytes().put<int64_t>(0, -3).put<uint64_t>(8, 1)), "-3");
  // avg(-5), avg(-2): -7 / 2 truncates toward zero.
  Bytes avg = Bytes().put<int64_t>(0, -7).put<uint64_t>(8, 2);
  EXPECT_EQ(text(*Type::simple(Kind::Avg), avg), "-3");
  EXPECT_EQ(json(*Type::simple(Kind::Avg), avg), "-3");
  EXPECT_EQ(text(*Type::simple(Kind::Avg), Bytes(16)), "0");
  Bytes stats = Bytes().put<int64_t>(0, 6).put<uint64_t>(8, 3);
  EXPECT_EQ(text(*Type::simple(Kind::Stats), stats), "{ .count = 3, .average = 2, .total = 6 }");
  EXPECT_EQ(json(*Type::simple(Kind::Stats), stats),
            "{\"count\": 3, \"average\": 2, \"total\": 6}");
}

TEST(RawSymbolsFallback, PrintsNumbers) {
  RawSymbols raw({"begin", "tracepoint:syscalls:sys_enter_read"});
  ValueFormatter formatter(raw);
  Bytes v = Bytes().put<uint64_t>(0, 0xffffffff81000000).put<uint64_t>(8, 1);
  EXPECT_EQ(formatter.text(*Type::simple(Kind::Ksym), v.data()), "0xffffffff81000000");
  EXPECT_EQ(formatter.text(*Type::simple(Kind::Usym), v.data()), "0xffffffff81000000");
  EXPECT_EQ(formatter.text(*Type::simple(Kind::KStack), v.data()), "\n");
  Bytes one = Bytes().put<uint64_t>(0, 1);
  EXPECT_EQ(formatter.text(*Type::simple(Kind::ProbeName), one.data()),
            "tracepoint:syscalls:sys_enter_read");
  EXPECT_EQ(formatter.text(*Type::simple(Kind::Username), one.data()), "1");
  EXPECT_EQ(formatter.text(*Type::simple(Kind::SyscallName), one.data()), "1");
  EXPECT_EQ(formatter.text(*Type::simple(Kind::CgroupPath), one.data()), "1");
  Bytes seven = Bytes().put<uint64_t>(0, 7);
  EXPECT_EQ(formatter.text(*Type::simple(Kind::ProbeName), seven.data()), "7");
}

} // namespace
} // namespace sonde::output
