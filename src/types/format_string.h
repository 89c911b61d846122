#pragma once

// printf-style format strings (printf, cat, system, errorf…): parsed once by
// sema to check the arguments and again by the runtime to render a record.

#include "types/type.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sonde::types {

enum class LengthModifier { None, Char, Short, Long, LongLong, Size, IntMax, PtrDiff };

enum class Conversion {
  Signed,          // d i
  Unsigned,        // u
  Octal,           // o
  Hex,             // x
  HexUpper,        // X
  Char,            // c
  String,          // s: any value, printed in its text form
  Pointer,         // p
  Buffer,          // r: printable bytes as is, others as \xNN
  BufferHex,       // rx: every byte as \xNN
  BufferHexSpaced, // rh: every byte as two hex digits, separated by spaces
  GfpFlags,        // gr: an integer of GFP allocation flags, by the kernel's names
};

struct FormatSpec {
  size_t offset = 0;       // of the '%' in the format string
  size_t length = 0;       // of the whole spec, '%' included
  bool left_align = false; // -
  bool zero_pad = false;   // 0
  bool plus = false;       // +
  bool space = false;      // ' '
  bool alternate = false;  // #
  std::optional<int> width;
  std::optional<int> precision;
  LengthModifier length_modifier = LengthModifier::None;
  Conversion conversion = Conversion::Signed;

  // The spec as written, e.g. "%-08lx".
  std::string text(std::string_view format) const {
    return std::string(format.substr(offset, length));
  }
  bool is_integer() const;
  // Whether a value of `type` may be formatted by this spec.
  bool accepts(const Type &type) const;
  // What the spec expects, for messages: "an integer", "a buffer"…
  std::string expected() const;
};

// Either literal text ("%%" already reduced to "%") or one conversion.
struct FormatSegment {
  std::string literal;
  std::optional<FormatSpec> spec;
};

struct FormatString {
  std::vector<FormatSegment> segments;
  size_t arg_count() const;
};

struct FormatError {
  size_t offset = 0; // in the format string
  std::string message;
};

std::variant<FormatString, FormatError> parse_format_string(std::string_view format);

// A mismatch between a parsed format and the arguments given for it.
struct FormatArgError {
  // Index of the offending argument; nullopt when the count is wrong.
  std::optional<size_t> arg_index;
  std::string message;
};

// Checks the number and types of `args` against `format`. `function` names
// the caller in messages: "printf: Too many arguments for format string (3
// supplied, 1 expected)", "printf: %d expects an integer (string supplied)".
std::optional<FormatArgError> check_format_args(std::string_view function, std::string_view format,
                                                const FormatString &parsed,
                                                const std::vector<TypePtr> &args);

} // namespace sonde::types
