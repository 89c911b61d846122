#include "types/dwarf_types.h"

#include "types/struct_layout.h"

namespace sonde::types {

TypePtr from_dwarf(const system::DwarfType &type) {
  using DwarfKind = system::DwarfType::Kind;
  switch (type.kind) {
  case DwarfKind::Void:
    return Type::void_type();
  case DwarfKind::Bool:
    return Type::boolean();
  case DwarfKind::Integer: {
    if (type.size != 1 && type.size != 2 && type.size != 4 && type.size != 8)
      return opaque(type.size, 1, type.name);
    if (type.name.empty())
      return Type::integer(type.size, type.is_signed);
    auto integer = std::make_shared<Type>(*Type::integer(type.size, type.is_signed));
    integer->name = type.name;
    return integer;
  }
  case DwarfKind::Other:
    return opaque(type.size, 1, type.name);
  case DwarfKind::Pointer: {
    // `void *` and function pointers step by bytes.
    TypePtr pointee = type.element && type.element->kind != DwarfKind::Void
                          ? from_dwarf(*type.element)
                          : Type::integer(1, false);
    return Type::pointer(std::move(pointee), true);
  }
  case DwarfKind::Array:
    if (type.element && type.element->kind == DwarfKind::Integer && type.element->size == 1 &&
        type.element->name.find("char") != std::string::npos)
      return Type::string(type.count);
    return Type::array(type.element ? from_dwarf(*type.element) : Type::integer(1, false),
                       type.count);
  case DwarfKind::Struct: {
    auto result = std::make_shared<Type>();
    result->kind = Kind::Struct;
    result->is_union = type.is_union;
    result->name = type.name;
    result->size = type.size;
    result->align = 1;
    for (const system::DwarfMember &member : type.members) {
      TypePtr member_type = member.type ? from_dwarf(*member.type) : Type::void_type();
      result->align = std::max(result->align, member_type->align);
      if (member.bit_width)
        add_member(*result,
                   bitfield(member.name, member_type, member.bit_position, member.bit_width));
      else
        add_member(*result, Field{member.name, member_type, member.bit_position / 8});
    }
    return result;
  }
  }
  return Type::void_type();
}

} // namespace sonde::types
