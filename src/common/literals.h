#pragma once

// Decoding of literal text the lexer matched: integers (with C suffixes and
// duration units) and string escapes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sonde {

struct IntegerLiteralValue {
  uint64_t value = 0;
  std::string error; // empty on success
};

// `100`, `0x1f`, `0755`, `1_000_000`, `1e6`, `10ul`, and durations `7ns`,
// `10us`, `100ms`, `5s`, `1m`, `1h` (their value in nanoseconds).
IntegerLiteralValue parse_integer_literal(std::string_view text);

// A decimal or `0x` hexadecimal number as attach points write addresses and
// offsets (`0x1139`, `4`); nothing for any other text.
std::optional<uint64_t> parse_address(std::string_view text);

// The character a one-letter escape (`\n`, `\t`, `\r`, `\"`, `\\`) stands
// for, or -1 when `c` is no such letter.
int simple_escape(char c);

} // namespace sonde
