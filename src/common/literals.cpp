#include "common/literals.h"

#include <cctype>
#include <charconv>
#include <limits>

namespace sonde {

namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

bool mul_overflows(uint64_t a, uint64_t b) { return b != 0 && a > kMax / b; }

enum class DigitsResult { Ok, BadUnderscore, Overflow };

// Accumulates digits of `base` (underscores allowed between digits) from the
// front of `text`, advancing it.
DigitsResult read_digits(std::string_view &text, unsigned base, uint64_t &value, size_t &count) {
  value = 0;
  count = 0;
  size_t i = 0;
  for (; i < text.size(); i++) {
    char c = text[i];
    if (c == '_') {
      if (count == 0 || i + 1 >= text.size() ||
          !std::isxdigit(static_cast<unsigned char>(text[i + 1])))
        return DigitsResult::BadUnderscore;
      continue;
    }
    unsigned digit;
    if (c >= '0' && c <= '9')
      digit = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f')
      digit = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F')
      digit = c - 'A' + 10;
    else
      break;
    if (digit >= base)
      break;
    if (mul_overflows(value, base) || value * base > kMax - digit)
      return DigitsResult::Overflow;
    value = value * base + digit;
    count++;
  }
  text.remove_prefix(i);
  return DigitsResult::Ok;
}

bool is_c_suffix(std::string_view s) {
  std::string lower;
  for (char c : s)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "u" || lower == "l" || lower == "ul" || lower == "lu" || lower == "ll" ||
         lower == "ull" || lower == "llu";
}

// Nanoseconds per duration unit, 0 when `s` is not a unit.
uint64_t duration_unit(std::string_view s) {
  if (s == "ns")
    return 1;
  if (s == "us")
    return 1'000;
  if (s == "ms")
    return 1'000'000;
  if (s == "s")
    return 1'000'000'000;
  if (s == "m")
    return 60'000'000'000;
  if (s == "h")
    return 3'600'000'000'000;
  return 0;
}

} // namespace

IntegerLiteralValue parse_integer_literal(std::string_view text) {
  const std::string quoted = "'" + std::string(text) + "'";
  const IntegerLiteralValue invalid{0, "invalid integer literal " + quoted};
  const IntegerLiteralValue too_large{0, "integer literal " + quoted + " does not fit in 64 bits"};

  auto failure = [&](DigitsResult r) { return r == DigitsResult::Overflow ? too_large : invalid; };

  std::string_view rest = text;
  uint64_t value = 0;
  size_t count = 0;

  if (rest.size() > 1 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X')) {
    rest.remove_prefix(2);
    if (auto r = read_digits(rest, 16, value, count); r != DigitsResult::Ok)
      return failure(r);
    if (count == 0 || !(rest.empty() || is_c_suffix(rest)))
      return invalid;
    return {value, ""};
  }

  std::string_view digits = rest;
  if (auto r = read_digits(rest, 10, value, count); r != DigitsResult::Ok)
    return failure(r);
  digits = digits.substr(0, digits.size() - rest.size());

  if (!rest.empty() && (rest[0] == 'e' || rest[0] == 'E') && rest.size() > 1 &&
      std::isdigit(static_cast<unsigned char>(rest[1]))) {
    rest.remove_prefix(1);
    uint64_t exponent = 0;
    size_t exponent_digits = 0;
    if (auto r = read_digits(rest, 10, exponent, exponent_digits); r != DigitsResult::Ok)
      return failure(r);
    for (uint64_t i = 0; i < exponent && value != 0; i++) {
      if (mul_overflows(value, 10))
        return too_large;
      value *= 10;
    }
    if (!rest.empty() && !is_c_suffix(rest))
      return invalid;
    return {value, ""};
  }

  if (rest.empty() || is_c_suffix(rest)) {
    // A leading zero makes the literal octal, as in C.
    if (digits.size() > 1 && digits[0] == '0') {
      std::string_view octal = digits.substr(1);
      uint64_t octal_value = 0;
      size_t octal_count = 0;
      if (auto r = read_digits(octal, 8, octal_value, octal_count); r != DigitsResult::Ok)
        return failure(r);
      if (!octal.empty())
        return {0, "invalid digit '" + std::string(1, octal[0]) + "' in octal literal " + quoted};
      return {octal_value, ""};
    }
    return {value, ""};
  }

  uint64_t unit = duration_unit(rest);
  if (unit == 0)
    return invalid;
  if (mul_overflows(value, unit))
    return too_large;
  return {value * unit, ""};
}

int simple_escape(char c) {
  switch (c) {
  case 'n':
    return '\n';
  case 't':
    return '\t';
  case 'r':
    return '\r';
  case '"':
    return '"';
  case '\\':
    return '\\';
  default:
    return -1;
  }
}

std::optional<uint64_t> parse_address(std::string_view text) {
  int base = 10;
  if (text.starts_with("0x") || text.starts_with("0X")) {
    text.remove_prefix(2);
    base = 16;
  }
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

} // namespace sonde
