#include "types/struct_layout.h"

namespace sonde::types {

TypePtr named_struct(std::string name, bool is_union, uint64_t size, uint64_t align) {
  auto t = std::make_shared<Type>();
  t->kind = Kind::Struct;
  t->name = std::move(name);
  t->is_union = is_union;
  t->size = size;
  t->align = align;
  return t;
}

bool is_unresolved_struct(const Type &type) {
  return type.kind == Kind::Struct && type.fields.empty() && !type.name.empty();
}

TypePtr opaque(uint64_t size, uint64_t align, std::string name) {
  auto bytes = std::make_shared<Type>(*Type::array(Type::integer(1, false), size));
  bytes->align = align;
  bytes->name = std::move(name);
  return bytes;
}

Field bitfield(std::string name, TypePtr type, uint64_t bit_position, uint32_t bit_width) {
  uint64_t unit_bits = type->size * 8;
  uint64_t unit = unit_bits ? bit_position / unit_bits : 0;
  Field field{std::move(name), std::move(type)};
  field.bit_width = bit_width;
  if (unit_bits && (bit_position % unit_bits) + bit_width <= unit_bits) {
    field.offset = unit * field.type->size;
    field.bit_offset = static_cast<uint32_t>(bit_position % unit_bits);
  } else {
    field.offset = bit_position / 8;
    field.bit_offset = static_cast<uint32_t>(bit_position % 8);
  }
  return field;
}

void add_member(Type &parent, Field member) {
  if (!member.name.empty()) {
    parent.fields.push_back(std::move(member));
    return;
  }
  // Unnamed members that are not structs are padding bitfields (`int : 3`).
  if (member.type->kind != Kind::Struct)
    return;
  for (Field inner : member.type->fields) {
    inner.offset += member.offset;
    parent.fields.push_back(std::move(inner));
  }
}

} // namespace sonde::types
