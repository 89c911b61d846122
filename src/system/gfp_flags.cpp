#include "system/gfp_flags.h"

#include "system/tracefs.h"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

namespace sonde::system {

namespace {

// The C constant expressions of a print format's flag table: integer
// literals, casts, parentheses, ~, <<, & and |.
class MaskParser {
public:
  explicit MaskParser(std::string_view text) : text_(text) {}

  size_t position() const { return pos_; }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])))
      pos_++;
  }
  bool take(std::string_view token) {
    skip_space();
    if (text_.substr(pos_, token.size()) != token)
      return false;
    pos_ += token.size();
    return true;
  }
  std::optional<std::string> string_literal() {
    if (!take("\""))
      return std::nullopt;
    size_t end = text_.find('"', pos_);
    if (end == std::string_view::npos)
      return std::nullopt;
    std::string value(text_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return value;
  }
  std::optional<uint64_t> expression() { return bitwise_or(); }

private:
  std::optional<uint64_t> bitwise_or() {
    return left_to_right(
        '|', [this] { return bitwise_and(); }, [](uint64_t a, uint64_t b) { return a | b; });
  }
  std::optional<uint64_t> bitwise_and() {
    return left_to_right(
        '&', [this] { return shift(); }, [](uint64_t a, uint64_t b) { return a & b; });
  }
  // `operand (op operand)*`, combined from the left.
  template <typename Operand, typename Combine>
  std::optional<uint64_t> left_to_right(char op, Operand operand, Combine combine) {
    auto value = operand();
    while (value && peek_single(op)) {
      pos_++;
      auto rhs = operand();
      if (!rhs)
        return std::nullopt;
      value = combine(*value, *rhs);
    }
    return value;
  }
  std::optional<uint64_t> shift() {
    auto value = unary();
    while (value && take("<<")) {
      auto rhs = unary();
      if (!rhs || *rhs >= 64)
        return std::nullopt;
      *value <<= *rhs;
    }
    return value;
  }
  std::optional<uint64_t> unary() {
    if (take("~")) {
      auto value = unary();
      return value ? std::optional(~*value) : std::nullopt;
    }
    if (take("(")) {
      skip_space();
      // A cast: `( gfp_t)`, `( unsigned long)`.
      if (pos_ < text_.size() &&
          (std::isalpha(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
        while (pos_ < text_.size() && text_[pos_] != ')')
          pos_++;
        if (!take(")"))
          return std::nullopt;
        return unary();
      }
      auto value = expression();
      if (!value || !take(")"))
        return std::nullopt;
      return value;
    }
    return number();
  }
  std::optional<uint64_t> number() {
    skip_space();
    size_t start = pos_;
    if (pos_ >= text_.size() || !std::isdigit(static_cast<unsigned char>(text_[pos_])))
      return std::nullopt;
    while (pos_ < text_.size() && std::isxdigit(static_cast<unsigned char>(text_[pos_])))
      pos_++;
    if (pos_ < text_.size() && (text_[pos_] == 'x' || text_[pos_] == 'X'))
      while (++pos_ < text_.size() && std::isxdigit(static_cast<unsigned char>(text_[pos_]))) {
      }
    if (pos_ == start)
      return std::nullopt;
    std::string digits(text_.substr(start, pos_ - start));
    while (pos_ < text_.size() &&
           (text_[pos_] == 'U' || text_[pos_] == 'L' || text_[pos_] == 'u' || text_[pos_] == 'l'))
      pos_++;
    return std::stoull(digits, nullptr, 0);
  }
  // `|` or `&`, not `||` or `&&`.
  bool peek_single(char c) {
    skip_space();
    return pos_ < text_.size() && text_[pos_] == c &&
           (pos_ + 1 >= text_.size() || text_[pos_ + 1] != c);
  }

  std::string_view text_;
  size_t pos_ = 0;
};

} // namespace

Expected<std::vector<GfpFlagName>> parse_gfp_flag_names(std::string_view print_format) {
  constexpr std::string_view table_start = "__print_flags(REC->gfp_flags, \"|\",";
  size_t start = print_format.find(table_start);
  if (start == std::string_view::npos)
    return error("no GFP flag table in the print format");
  MaskParser parser(print_format.substr(start + table_start.size()));
  std::vector<GfpFlagName> names;
  while (parser.take("{")) {
    auto mask = parser.expression();
    if (!mask || !parser.take(","))
      return error("cannot read the GFP flag table at entry " + std::to_string(names.size() + 1));
    auto name = parser.string_literal();
    if (!name)
      break; // the table's end: { 0, ((void *)0) }
    if (!parser.take("}"))
      return error("cannot read the GFP flag table after " + *name);
    names.push_back({*mask, *name});
    if (!parser.take(","))
      break;
  }
  if (names.empty())
    return error("the GFP flag table is empty");
  return names;
}

const Expected<std::vector<GfpFlagName>> &kernel_gfp_flag_names() {
  static const Expected<std::vector<GfpFlagName>> names =
      []() -> Expected<std::vector<GfpFlagName>> {
    auto root = tracefs::root();
    if (!root)
      return error(root.error());
    std::ifstream file(*root + "/events/kmem/kmalloc/format");
    if (!file)
      return error("cannot read the kmem:kmalloc tracepoint's format");
    std::stringstream text;
    text << file.rdbuf();
    return parse_gfp_flag_names(text.str());
  }();
  return names;
}

std::string gfp_flags_text(uint64_t flags, const std::vector<GfpFlagName> &names) {
  if (flags == 0)
    return "none";
  std::string text;
  for (const auto &name : names) {
    if (flags == 0)
      break;
    if (name.mask == 0 || (flags & name.mask) != name.mask)
      continue;
    text += (text.empty() ? "" : "|") + name.name;
    flags &= ~name.mask;
  }
  if (flags) {
    char hex[32];
    std::snprintf(hex, sizeof hex, "%#llx", static_cast<unsigned long long>(flags));
    text += (text.empty() ? "" : "|") + std::string(hex);
  }
  return text;
}

} // namespace sonde::system
