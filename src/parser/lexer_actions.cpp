#include "parser/lexer_actions.h"

#include "common/literals.h"

#include <cctype>
#include <cstdio>
#include <string>

namespace sonde::parser::detail {

namespace {

// The number after `$` in `text`, or -1 when it does not fit in an int.
int param_number(const char *digits, size_t length) {
  long long n = 0;
  for (size_t i = 0; i < length; i++) {
    n = n * 10 + (digits[i] - '0');
    if (n > 1'000'000)
      return -1;
  }
  return static_cast<int>(n);
}

std::string describe_char(unsigned char c) {
  if (std::isprint(c))
    return std::string("'") + static_cast<char>(c) + "'";
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02x", c);
  return hex;
}

} // namespace

std::string substitute_params(ParseState &ps, const char *text) {
  std::string raw = text;
  std::string result;
  for (size_t i = 0; i < raw.size(); i++) {
    size_t digits = 0;
    while (raw[i] == '$' && i + 1 + digits < raw.size() &&
           std::isdigit(static_cast<unsigned char>(raw[i + 1 + digits])))
      digits++;
    if (digits == 0) {
      result += raw[i];
      continue;
    }
    ast::Location loc = ps.token;
    loc.begin_col += static_cast<int>(i);
    loc.end_col = loc.begin_col + 1 + static_cast<int>(digits);
    int n = param_number(raw.data() + i + 1, digits);
    if (n >= 1 && static_cast<size_t>(n) <= ps.params.size())
      result += ps.params[n - 1];
    else if (n == 0)
      ps.error(loc, "invalid positional parameter $0: parameters are numbered from $1");
    else
      ps.error(loc, "positional parameter " + raw.substr(i, 1 + digits) +
                        " is used in an attach point but was not given");
    i += digits;
  }
  return result;
}

Parser::symbol_type positional_param(ParseState &ps, const char *text) {
  std::string digits = text + 1;
  int n = param_number(digits.data(), digits.size());
  if (n == 0)
    ps.error(ps.token, "invalid positional parameter $0: parameters are numbered from $1");
  else if (n < 0)
    ps.error(ps.token, "positional parameter " + std::string(text) + " is out of range");
  return Parser::make_PARAM(n < 0 ? 0 : n, ps.token);
}

Parser::symbol_type c_definition(ParseState &ps) {
  std::string text = ps.source.text.substr(ps.mark_offset, ps.offset - ps.mark_offset);
  return Parser::make_C_DEFINITION(std::move(text), ps.marked());
}

void octal_escape(ParseState &ps, const char *text) {
  int value = std::stoi(text + 1, nullptr, 8);
  if (value > 0xff)
    ps.error(ps.token, "octal escape " + std::string(text) + " is out of range (max \\377)");
  ps.string_value += static_cast<char>(value);
}

void simple_escape(ParseState &ps, const char *text) {
  int value = sonde::simple_escape(text[1]);
  if (value < 0) {
    ps.error(ps.token, "invalid escape sequence '" + std::string(text) + "'");
    return;
  }
  ps.string_value += static_cast<char>(value);
}

void invalid_character(ParseState &ps, const char *text) {
  ps.error(ps.token, "invalid character " + describe_char(static_cast<unsigned char>(text[0])));
}

} // namespace sonde::parser::detail
