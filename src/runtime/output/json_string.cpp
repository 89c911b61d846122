#include "runtime/output/json_string.h"

#include <cstdio>

namespace sonde::output {

namespace {

// The length of the well-formed UTF-8 sequence of two to four bytes at the
// start of `s` (the Unicode standard's table 3-7: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0 when there is none.
size_t utf8_sequence_length(std::string_view s) {
  auto byte = [&](size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
  unsigned lead = byte(0);
  size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  unsigned low = 0x80, high = 0xbf;
  if (lead < 0xc2 || lead > 0xf4)
    return 0;
  if (lead == 0xe0)
    low = 0xa0;
  else if (lead == 0xed)
    high = 0x9f;
  else if (lead == 0xf0)
    low = 0x90;
  else if (lead == 0xf4)
    high = 0x8f;
  if (byte(1) < low || byte(1) > high)
    return 0;
  for (size_t i = 2; i < length; i++)
    if (byte(i) < 0x80 || byte(i) > 0xbf)
      return 0;
  return length;
}

} // namespace

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); i++) {
    char c = s[i];
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        char escape[8];
        std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned char>(c));
        out += escape;
      } else if (static_cast<unsigned char>(c) < 0x80) {
        out += c;
      } else if (size_t length = utf8_sequence_length(s.substr(i)); length > 0) {
        out += s.substr(i, length);
        i += length - 1;
      } else {
        out += "\\ufffd";
      }
    }
  }
  out += '"';
  return out;
}

} // namespace sonde::output
