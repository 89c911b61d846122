#include "types/format_string.h"

#include <cctype>

namespace sonde::types {

namespace {

// Bounds what a width or precision may be, so a typo cannot ask for a
// gigabyte of padding.
constexpr int max_field_width = 1 << 16;

class Parser {
public:
  explicit Parser(std::string_view format) : format_(format) {}

  std::variant<FormatString, FormatError> parse() {
    FormatString result;
    std::string literal;
    while (pos_ < format_.size()) {
      char c = format_[pos_];
      if (c != '%') {
        literal += c;
        pos_++;
        continue;
      }
      if (pos_ + 1 < format_.size() && format_[pos_ + 1] == '%') {
        literal += '%';
        pos_ += 2;
        continue;
      }
      if (!literal.empty())
        result.segments.push_back(FormatSegment{std::move(literal), std::nullopt});
      literal.clear();
      auto spec = parse_spec();
      if (auto *error = std::get_if<FormatError>(&spec))
        return *error;
      result.segments.push_back(FormatSegment{"", std::get<FormatSpec>(spec)});
    }
    if (!literal.empty())
      result.segments.push_back(FormatSegment{std::move(literal), std::nullopt});
    return result;
  }

private:
  std::variant<FormatSpec, FormatError> parse_spec() {
    FormatSpec spec;
    spec.offset = pos_;
    pos_++; // '%'
    parse_flags(spec);
    if (auto error = parse_number(spec.width, "width"))
      return *error;
    if (peek() == '.') {
      pos_++;
      spec.precision = 0;
      if (auto error = parse_number(spec.precision, "precision"))
        return *error;
    }
    parse_length(spec);
    if (pos_ >= format_.size())
      return FormatError{spec.offset, "incomplete format specifier '" +
                                          std::string(format_.substr(spec.offset)) + "'"};
    if (auto error = parse_conversion(spec))
      return *error;
    spec.length = pos_ - spec.offset;
    return spec;
  }

  char peek(size_t ahead = 0) const {
    return pos_ + ahead < format_.size() ? format_[pos_ + ahead] : '\0';
  }

  void parse_flags(FormatSpec &spec) {
    for (;; pos_++) {
      switch (peek()) {
      case '-':
        spec.left_align = true;
        continue;
      case '0':
        spec.zero_pad = true;
        continue;
      case '+':
        spec.plus = true;
        continue;
      case ' ':
        spec.space = true;
        continue;
      case '#':
        spec.alternate = true;
        continue;
      default:
        return;
      }
    }
  }

  std::optional<FormatError> parse_number(std::optional<int> &out, const char *what) {
    if (peek() == '*')
      return FormatError{pos_, std::string("'*' ") + what + " is not supported, write a number"};
    size_t start = pos_;
    long value = 0;
    while (std::isdigit(static_cast<unsigned char>(peek()))) {
      value = value * 10 + (peek() - '0');
      if (value > max_field_width)
        return FormatError{start, std::string(what) + " is too large (at most " +
                                      std::to_string(max_field_width) + ")"};
      pos_++;
    }
    if (pos_ > start)
      out = static_cast<int>(value);
    return std::nullopt;
  }

  void parse_length(FormatSpec &spec) {
    switch (peek()) {
    case 'h':
      pos_++;
      spec.length_modifier = LengthModifier::Short;
      if (peek() == 'h') {
        pos_++;
        spec.length_modifier = LengthModifier::Char;
      }
      return;
    case 'l':
      pos_++;
      spec.length_modifier = LengthModifier::Long;
      if (peek() == 'l') {
        pos_++;
        spec.length_modifier = LengthModifier::LongLong;
      }
      return;
    case 'z':
      pos_++;
      spec.length_modifier = LengthModifier::Size;
      return;
    case 'j':
      pos_++;
      spec.length_modifier = LengthModifier::IntMax;
      return;
    case 't':
      pos_++;
      spec.length_modifier = LengthModifier::PtrDiff;
      return;
    default:
      return;
    }
  }

  std::optional<FormatError> parse_conversion(FormatSpec &spec) {
    char c = format_[pos_++];
    switch (c) {
    case 'd':
    case 'i':
      spec.conversion = Conversion::Signed;
      break;
    case 'u':
      spec.conversion = Conversion::Unsigned;
      break;
    case 'o':
      spec.conversion = Conversion::Octal;
      break;
    case 'x':
      spec.conversion = Conversion::Hex;
      break;
    case 'X':
      spec.conversion = Conversion::HexUpper;
      break;
    case 'c':
      spec.conversion = Conversion::Char;
      break;
    case 's':
      spec.conversion = Conversion::String;
      break;
    case 'p':
      spec.conversion = Conversion::Pointer;
      break;
    case 'r':
      spec.conversion = Conversion::Buffer;
      if (peek() == 'x') {
        pos_++;
        spec.conversion = Conversion::BufferHex;
      } else if (peek() == 'h') {
        pos_++;
        spec.conversion = Conversion::BufferHexSpaced;
      }
      break;
    case 'g':
      if (peek() == 'r') {
        pos_++;
        spec.conversion = Conversion::GfpFlags;
        break;
      }
      [[fallthrough]];
    default:
      return FormatError{spec.offset,
                         "unknown format specifier '" +
                             std::string(format_.substr(spec.offset, pos_ - spec.offset)) + "'"};
    }
    if (spec.length_modifier != LengthModifier::None && !spec.is_integer())
      return FormatError{spec.offset,
                         "length modifier not allowed in '" +
                             std::string(format_.substr(spec.offset, pos_ - spec.offset)) + "'"};
    return std::nullopt;
  }

  std::string_view format_;
  size_t pos_ = 0;
};

bool is_buffer_conversion(Conversion c) {
  return c == Conversion::Buffer || c == Conversion::BufferHex || c == Conversion::BufferHexSpaced;
}

} // namespace

bool FormatSpec::is_integer() const {
  switch (conversion) {
  case Conversion::Signed:
  case Conversion::Unsigned:
  case Conversion::Octal:
  case Conversion::Hex:
  case Conversion::HexUpper:
    return true;
  default:
    return false;
  }
}

bool FormatSpec::accepts(const Type &type) const {
  if (type.kind == Kind::None)
    return false;
  // %s prints every value in its text form except plain numbers and
  // addresses; an enum value prints as its enumerator's name.
  if (conversion == Conversion::String)
    return type.kind == Kind::Integer ? type.name.rfind("enum ", 0) == 0
                                      : type.kind != Kind::Pointer;
  if (is_buffer_conversion(conversion))
    return type.kind == Kind::Buffer || type.kind == Kind::String;
  if (conversion == Conversion::Char)
    return type.is_integer_like();
  // Integers and pointers.
  return type.is_integer_like() || type.kind == Kind::Pointer;
}

std::string FormatSpec::expected() const {
  if (is_buffer_conversion(conversion))
    return "a buffer or string";
  if (conversion == Conversion::Char)
    return "an integer";
  if (conversion == Conversion::String)
    return "a string";
  return "an integer or pointer";
}

size_t FormatString::arg_count() const {
  size_t n = 0;
  for (const auto &segment : segments)
    if (segment.spec)
      n++;
  return n;
}

std::variant<FormatString, FormatError> parse_format_string(std::string_view format) {
  return Parser(format).parse();
}

std::optional<FormatArgError> check_format_args(std::string_view function, std::string_view format,
                                                const FormatString &parsed,
                                                const std::vector<TypePtr> &args) {
  size_t expected = parsed.arg_count();
  if (args.size() != expected) {
    std::string message = std::string(function) + ": Too " +
                          (args.size() > expected ? "many" : "few") +
                          " arguments for format string (" + std::to_string(args.size()) +
                          " supplied, " + std::to_string(expected) + " expected)";
    return FormatArgError{std::nullopt, std::move(message)};
  }
  size_t index = 0;
  for (const auto &segment : parsed.segments) {
    if (!segment.spec)
      continue;
    const Type &arg = *args[index];
    if (!segment.spec->accepts(arg))
      return FormatArgError{index, std::string(function) + ": " + segment.spec->text(format) +
                                       " expects " + segment.spec->expected() + " (" +
                                       arg.display_name() + " supplied)"};
    index++;
  }
  return std::nullopt;
}

} // namespace sonde::types
