#include "system/tracepoint_format.h"

#include <charconv>

namespace sonde::system {

namespace {

std::string_view trim(std::string_view s) {
  const char *space = " \t\r\n";
  size_t begin = s.find_first_not_of(space);
  if (begin == std::string_view::npos)
    return {};
  size_t end = s.find_last_not_of(space);
  return s.substr(begin, end - begin + 1);
}

bool parse_number(std::string_view text, uint64_t &out) {
  text = trim(text);
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size() && !text.empty();
}

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Strips a trailing `[N]` or `[]` from `text` into `length`.
bool take_array_suffix(std::string_view &text, std::optional<uint64_t> &length) {
  if (!text.ends_with(']'))
    return true;
  size_t open = text.rfind('[');
  if (open == std::string_view::npos)
    return false;
  std::string_view inside = trim(text.substr(open + 1, text.size() - open - 2));
  uint64_t n = 0;
  if (!inside.empty() && !parse_number(inside, n))
    return false;
  length = n;
  text = trim(text.substr(0, open));
  return true;
}

// Splits the declaration after `field:` ("const char * filename",
// "char comm[16]", "__data_loc char[] name") into the field's parts.
bool parse_declaration(std::string_view decl, TracepointField &field) {
  decl = trim(decl);
  for (auto [keyword, flag] :
       {std::pair{"__data_loc ", &field.data_loc}, std::pair{"__rel_loc ", &field.rel_loc}}) {
    if (decl.starts_with(keyword)) {
      *flag = true;
      decl = trim(decl.substr(std::string_view(keyword).size()));
    }
  }
  if (!take_array_suffix(decl, field.array_length))
    return false;
  size_t name_start = decl.size();
  while (name_start > 0 && is_identifier_char(decl[name_start - 1]))
    name_start--;
  if (name_start == decl.size() || name_start == 0)
    return false;
  field.name = std::string(decl.substr(name_start));
  std::string_view type = trim(decl.substr(0, name_start));
  if (field.data_loc || field.rel_loc) {
    // The dynamic array's brackets belong to the type: `char[]`.
    std::optional<uint64_t> ignored;
    if (!take_array_suffix(type, ignored))
      return false;
  }
  field.type = std::string(type);
  return !field.type.empty();
}

// One line: `field:<decl>;\toffset:N;\tsize:N;\tsigned:N;`.
bool parse_field_line(std::string_view line, TracepointField &field) {
  bool first = true;
  while (!(line = trim(line)).empty()) {
    size_t semi = line.find(';');
    std::string_view part = trim(line.substr(0, semi));
    line = semi == std::string_view::npos ? std::string_view{} : line.substr(semi + 1);
    size_t colon = part.find(':');
    if (colon == std::string_view::npos)
      return false;
    std::string_view key = part.substr(0, colon);
    std::string_view value = part.substr(colon + 1);
    if (first) {
      if (key != "field" || !parse_declaration(value, field))
        return false;
      first = false;
      continue;
    }
    uint64_t number = 0;
    if (!parse_number(value, number))
      return false;
    if (key == "offset")
      field.offset = number;
    else if (key == "size")
      field.size = number;
    else if (key == "signed")
      field.is_signed = number != 0;
  }
  return !first;
}

} // namespace

std::optional<TracepointFormat> parse_tracepoint_format(std::string_view text, std::string &error) {
  TracepointFormat format;
  bool have_name = false;
  int line_number = 0;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    line_number++;
    std::string_view trimmed = trim(line);
    if (trimmed.starts_with("name:")) {
      format.name = std::string(trim(trimmed.substr(5)));
      have_name = true;
    } else if (trimmed.starts_with("ID:")) {
      if (!parse_number(trimmed.substr(3), format.id)) {
        error = "line " + std::to_string(line_number) + ": bad ID: " + std::string(trimmed);
        return std::nullopt;
      }
    } else if (trimmed.starts_with("field:")) {
      TracepointField field;
      if (!parse_field_line(trimmed, field)) {
        error = "line " + std::to_string(line_number) + ": bad field: " + std::string(trimmed);
        return std::nullopt;
      }
      format.fields.push_back(std::move(field));
    } else if (trimmed.starts_with("print fmt:")) {
      break;
    }
  }
  if (!have_name) {
    error = "no 'name:' line";
    return std::nullopt;
  }
  return format;
}

} // namespace sonde::system
