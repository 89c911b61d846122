#include "runtime/output/bytes.h"
#include "runtime/output/value_formatter.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace sonde::output {

// A bitfield lives in the `bit_width` bits at `bit_offset` of the field's
// storage unit (the field's type, at the field's offset).
std::string bitfield_text(const types::Field &field, const uint8_t *struct_bytes) {
  uint64_t unit = read_integer(struct_bytes + field.offset, field.type->size, false);
  uint64_t value = unit >> field.bit_offset;
  if (field.bit_width < 64)
    value &= (uint64_t{1} << field.bit_width) - 1;
  bool negative =
      field.type->is_signed && field.bit_width < 64 && ((value >> (field.bit_width - 1)) & 1);
  if (!negative)
    return std::to_string(value);
  return std::to_string(static_cast<int64_t>(value | (~uint64_t{0} << field.bit_width)));
}

const std::string *enumerator_name(const types::Type &type, const uint8_t *bytes) {
  if (type.enumerators.empty())
    return nullptr;
  auto value = static_cast<int64_t>(read_integer(type, bytes));
  for (const auto &e : type.enumerators)
    if (e.value == value)
      return &e.name;
  return nullptr;
}

std::string integer_text(const types::Type &type, const uint8_t *bytes, uint64_t div) {
  if (const std::string *name = enumerator_name(type, bytes); name && div <= 1)
    return *name;
  uint64_t raw = read_integer(type, bytes);
  if (div == 0)
    div = 1;
  if (type.is_signed)
    return std::to_string(static_cast<int64_t>(raw) / static_cast<int64_t>(div));
  return std::to_string(raw / div);
}

std::string string_text(const types::Type &type, const uint8_t *bytes, std::string_view trailer) {
  const char *chars = reinterpret_cast<const char *>(bytes);
  size_t length = strnlen(chars, type.size);
  std::string s(chars, length);
  if (length == type.size && type.size > 0)
    s += trailer;
  return s;
}

std::string_view buffer_bytes(const types::Type &type, const uint8_t *bytes) {
  uint32_t length;
  std::memcpy(&length, bytes, sizeof length);
  uint64_t capacity = type.size - 4;
  return std::string_view(reinterpret_cast<const char *>(bytes + 4),
                          std::min<uint64_t>(length, capacity));
}

std::string escape_buffer(std::string_view data) {
  std::string out;
  for (char c : data) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\x%02x", byte);
      out += escape;
    }
  }
  return out;
}

} // namespace sonde::output
