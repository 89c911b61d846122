#include "output_test_support.h"
#include "runtime/output/printf_format.h"

#include <gtest/gtest.h>

namespace sonde::output {
namespace {

using testing::Bytes;
using testing::FakeSymbols;
using types::Kind;
using types::Type;
using types::TypePtr;

// Lays the values out one after another, 8-byte aligned, as a record's
// arguments.
class Record {
public:
  template <typename T> Record &add(TypePtr type, T value) {
    bytes_.put(offset_, value);
    return push(std::move(type));
  }
  Record &add_string(TypePtr type, const std::string &s) {
    bytes_.put_string(offset_, s);
    bytes_.put<uint8_t>(offset_ + type->size - 1, 0);
    return push(std::move(type));
  }
  Record &add_buffer(const std::string &data) {
    auto type = Type::buffer(data.size());
    bytes_.put<uint32_t>(offset_, data.size());
    bytes_.put_string(offset_ + 4, data);
    return push(type);
  }
  Record &add_bytes(TypePtr type, const Bytes &bytes) {
    for (size_t i = 0; i < type->size; i++)
      bytes_.put<uint8_t>(offset_ + i, bytes.data()[i]);
    return push(std::move(type));
  }
  std::string format(const std::string &fmt) {
    FakeSymbols symbols;
    return format_printf(fmt, args_, bytes_.data(), ValueFormatter(symbols));
  }
  std::string format(const types::FormatString &parsed) {
    FakeSymbols symbols;
    return format_printf(parsed, args_, bytes_.data(), ValueFormatter(symbols));
  }

private:
  Record &push(TypePtr type) {
    args_.push_back(EventArg{type, offset_});
    offset_ += (type->size + 7) / 8 * 8;
    return *this;
  }

  Bytes bytes_;
  std::vector<EventArg> args_;
  uint64_t offset_ = 0;
};

TypePtr i64() { return Type::integer(8, true); }
TypePtr u64() { return Type::integer(8, false); }

TEST(Printf, IntegersFollowC) {
  EXPECT_EQ(Record().add<int64_t>(i64(), 42).add<int64_t>(i64(), 42).add<int64_t>(i64(), 42).format(
                "[%5d|%-5d|%05d]"),
            "[   42|42   |00042]");
  // Without a length modifier the value is a C int, as in bpftrace.
  EXPECT_EQ(Record()
                .add<int64_t>(i64(), 0x1ffffffff)
                .add<int64_t>(i64(), -1)
                .add<int64_t>(i64(), -1)
                .add<int64_t>(i64(), -1)
                .add<int64_t>(i64(), -1)
                .format("%d %u %x %lx %ld"),
            "-1 4294967295 ffffffff ffffffffffffffff -1");
  EXPECT_EQ(Record().add<int64_t>(i64(), 300).add<int64_t>(i64(), 70000).format("%hhd %hd"),
            "44 4464");
  EXPECT_EQ(Record()
                .add<uint8_t>(Type::integer(1, false), 0xff)
                .add<int8_t>(Type::integer(1, true), -1)
                .add<uint32_t>(Type::integer(4, false), 0xffffffff)
                .format("%x %d %lu"),
            "ff -1 4294967295");
  EXPECT_EQ(Record()
                .add<int64_t>(i64(), 255)
                .add<int64_t>(i64(), 8)
                .add<int64_t>(i64(), 3)
                .add<int64_t>(i64(), 3)
                .add<int64_t>(i64(), 7)
                .add<int64_t>(i64(), 255)
                .format("%#x %#o %+d % d %08.3d %X"),
            "0xff 010 +3  3      007 FF");
  EXPECT_EQ(Record()
                .add<uint64_t>(u64(), UINT64_MAX)
                .add<uint64_t>(u64(), UINT64_MAX)
                .add<int64_t>(i64(), INT64_MIN)
                .format("%llu %zx %jd"),
            "18446744073709551615 ffffffffffffffff -9223372036854775808");
}

TEST(Printf, LiteralsAndPercent) {
  EXPECT_EQ(Record().format("100%% sure\n"), "100% sure\n");
  EXPECT_EQ(Record().add<int64_t>(i64(), 7).format("a%db%%c"), "a7b%c");
}

TEST(Printf, CharAndPointer) {
  EXPECT_EQ(Record().add<int64_t>(i64(), 65).add<int64_t>(i64(), 0x142).format("%c%-3c|"), "AB  |");
  EXPECT_EQ(Record().add<uint64_t>(Type::pointer(i64()), 4096).format("%p"), "0x1000");
  EXPECT_EQ(Record().add<uint64_t>(u64(), 4096).format("%p"), "0x1000");
}

TEST(Printf, Strings) {
  EXPECT_EQ(Record()
                .add_string(Type::string(8), "str")
                .add_string(Type::string(8), "r")
                .add_string(Type::string(8), "l")
                .add_string(Type::string(8), "abcdef")
                .format("%s|%5s|%-5s|%.2s"),
            "str|    r|l    |ab");
}

TEST(Printf, PercentSOfAnyValue) {
  auto tuple = Type::tuple({i64(), Type::string(4)});
  Bytes t = Bytes(tuple->size).put<int64_t>(0, 1).put_string(8, "ab");
  EXPECT_EQ(Record()
                .add_bytes(tuple, t)
                .add<int64_t>(i64(), -9)
                .add<uint64_t>(Type::simple(Kind::Ksym), 5)
                .add<uint8_t>(Type::boolean(), 1)
                .format("%s %s %s %s"),
            "(1, ab) -9 ksym_5 true");
  EXPECT_EQ(Record().add<int64_t>(i64(), 12).format("[%-4s]"), "[12  ]");
}

TEST(Printf, Buffers) {
  EXPECT_EQ(Record()
                .add_buffer(std::string("ab\x01\n\xff", 5))
                .add_buffer("ab\x01")
                .add_buffer("ab\x01")
                .format("%r|%rx|%rh"),
            "ab\\x01\\x0a\\xff|\\x61\\x62\\x01|61 62 01");
  EXPECT_EQ(Record().add_string(Type::string(4), "hi").format("%rx"), "\\x68\\x69");
}

TEST(Printf, ParsedOnceFormatsTheSame) {
  auto parsed = std::get<types::FormatString>(types::parse_format_string("%d-%s\n"));
  Record r;
  r.add<int64_t>(i64(), 3).add_string(Type::string(4), "x");
  EXPECT_EQ(r.format(parsed), "3-x\n");
  EXPECT_EQ(r.format(parsed), r.format("%d-%s\n"));
}

TEST(Printf, UnparsableFormatIsReturnedAsIs) { EXPECT_EQ(Record().format("bad %q"), "bad %q"); }

} // namespace
} // namespace sonde::output
