#include "runtime/output/printf_format.h"

#include "runtime/output/bytes.h"

#include <cstdio>

namespace sonde::output {

using types::Conversion;
using types::FormatSpec;
using types::Kind;
using types::LengthModifier;

namespace {

template <typename... Args> std::string c_format(const std::string &format, Args... args) {
  int n = std::snprintf(nullptr, 0, format.c_str(), args...);
  if (n <= 0)
    return "";
  std::string out(static_cast<size_t>(n), '\0');
  std::snprintf(out.data(), out.size() + 1, format.c_str(), args...);
  return out;
}

// The spec's flags, width and precision in C syntax, without length or
// conversion: "%-08.3".
std::string c_prefix(const FormatSpec &spec) {
  std::string s = "%";
  if (spec.left_align)
    s += '-';
  if (spec.zero_pad)
    s += '0';
  if (spec.plus)
    s += '+';
  if (spec.space)
    s += ' ';
  if (spec.alternate)
    s += '#';
  if (spec.width)
    s += std::to_string(*spec.width);
  if (spec.precision)
    s += "." + std::to_string(*spec.precision);
  return s;
}

char conversion_char(Conversion c) {
  switch (c) {
  case Conversion::Signed:
    return 'd';
  case Conversion::Unsigned:
    return 'u';
  case Conversion::Octal:
    return 'o';
  case Conversion::Hex:
    return 'x';
  default:
    return 'X';
  }
}

// Integers reach printf as C would pass them: int for no modifier, hh and h
// (printf narrows those itself), 64 bits for l, ll, z, j and t.
std::string format_integer(const FormatSpec &spec, uint64_t value) {
  std::string format = c_prefix(spec);
  bool is_signed = spec.conversion == Conversion::Signed;
  char conversion = conversion_char(spec.conversion);
  switch (spec.length_modifier) {
  case LengthModifier::None:
  case LengthModifier::Char:
  case LengthModifier::Short:
    if (spec.length_modifier == LengthModifier::Char)
      format += "hh";
    else if (spec.length_modifier == LengthModifier::Short)
      format += "h";
    format += conversion;
    if (is_signed)
      return c_format(format, static_cast<int>(value));
    return c_format(format, static_cast<unsigned>(value));
  default:
    format += "ll";
    format += conversion;
    if (is_signed)
      return c_format(format, static_cast<long long>(value));
    return c_format(format, static_cast<unsigned long long>(value));
  }
}

std::string hex_bytes(std::string_view data, bool spaced) {
  std::string out;
  for (size_t i = 0; i < data.size(); i++) {
    char digits[8];
    auto byte = static_cast<unsigned char>(data[i]);
    if (spaced) {
      std::snprintf(digits, sizeof digits, i ? " %02x" : "%02x", byte);
    } else {
      std::snprintf(digits, sizeof digits, "\\x%02x", byte);
    }
    out += digits;
  }
  return out;
}

std::string buffer_conversion(const FormatSpec &spec, const types::Type &type,
                              const uint8_t *bytes) {
  std::string string_data;
  std::string_view data;
  if (type.kind == Kind::Buffer) {
    data = buffer_bytes(type, bytes);
  } else {
    string_data = string_text(type, bytes);
    data = string_data;
  }
  switch (spec.conversion) {
  case Conversion::BufferHex:
    return hex_bytes(data, false);
  case Conversion::BufferHexSpaced:
    return hex_bytes(data, true);
  default:
    return escape_buffer(data);
  }
}

std::string format_arg(const FormatSpec &spec, const types::Type &type, const uint8_t *bytes,
                       const ValueFormatter &values) {
  switch (spec.conversion) {
  case Conversion::String:
    return c_format(c_prefix(spec) + "s", values.text(type, bytes).c_str());
  case Conversion::Char:
    return c_format(c_prefix(spec) + "c", static_cast<int>(read_integer(type, bytes)));
  case Conversion::Pointer:
    return c_format(c_prefix(spec) + "p",
                    reinterpret_cast<void *>(static_cast<uintptr_t>(read_integer(type, bytes))));
  case Conversion::Buffer:
  case Conversion::BufferHex:
  case Conversion::BufferHexSpaced:
    return c_format(c_prefix(spec) + "s", buffer_conversion(spec, type, bytes).c_str());
  case Conversion::GfpFlags:
    return c_format(c_prefix(spec) + "s",
                    values.symbols().gfp_flags(read_integer(type, bytes)).c_str());
  default:
    return format_integer(spec, read_integer(type, bytes));
  }
}

} // namespace

std::string format_printf(const types::FormatString &format, const std::vector<EventArg> &args,
                          const uint8_t *record_args, const ValueFormatter &values) {
  std::string out;
  size_t next = 0;
  for (const auto &segment : format.segments) {
    if (!segment.spec) {
      out += segment.literal;
      continue;
    }
    const auto &arg = args.at(next++);
    out += format_arg(*segment.spec, *arg.type, record_args + arg.offset, values);
  }
  return out;
}

std::string format_printf(const std::string &format, const std::vector<EventArg> &args,
                          const uint8_t *record_args, const ValueFormatter &values) {
  auto parsed = types::parse_format_string(format);
  if (auto *ok = std::get_if<types::FormatString>(&parsed))
    return format_printf(*ok, args, record_args, values);
  return format;
}

} // namespace sonde::output
