#include "types/btf_types_convert.h"

#include "types/struct_layout.h"

#include <algorithm>
#include <bpf/btf.h>
#include <string>

namespace sonde::types {

namespace {

std::string name_of(const btf *types, const btf_type *type) {
  return btf__name_by_offset(types, type->name_off);
}

bool is_qualifier(const btf_type *type) {
  return btf_is_const(type) || btf_is_volatile(type) || btf_is_restrict(type) ||
         btf_is_type_tag(type);
}

// "struct task_struct", "union bpf_attr"; empty for an anonymous one.
std::string tagged_name(const btf *types, const btf_type *type) {
  if (!type->name_off)
    return "";
  bool is_union = btf_is_union(type) || (btf_is_fwd(type) && btf_kflag(type));
  return (is_union ? "union " : "struct ") + name_of(types, type);
}

uint64_t align_of(const btf *types, uint32_t id) {
  int align = btf__align_of(types, id);
  return align > 0 ? static_cast<uint64_t>(align) : 1;
}

TypePtr renamed(const TypePtr &type, std::string name) {
  auto copy = std::make_shared<Type>(*type);
  copy->name = std::move(name);
  return copy;
}

} // namespace

BtfConverter::BtfConverter(const btf *types, BtfConverter *base)
    : types_(types), base_(base), first_id_(base ? btf__type_cnt(base->types_) : 0) {}

TypePtr BtfConverter::convert(uint32_t id) {
  if (base_ && id < first_id_)
    return base_->convert(id);
  if (auto found = cache_.find(id); found != cache_.end())
    return found->second;
  TypePtr type = convert_uncached(id);
  cache_.emplace(id, type);
  return type;
}

TypePtr BtfConverter::convert_uncached(uint32_t id) {
  if (id == 0)
    return Type::none();
  const btf_type *type = btf__type_by_id(types_, id);
  if (!type)
    return Type::none();
  switch (btf_kind(type)) {
  case BTF_KIND_INT: {
    if (btf_int_encoding(type) & BTF_INT_BOOL)
      return Type::boolean();
    if (type->size != 1 && type->size != 2 && type->size != 4 && type->size != 8)
      return opaque(type->size, align_of(types_, id), name_of(types_, type));
    // The kernel builds with -funsigned-char, but C code and scripts
    // treat plain char as signed.
    bool is_signed = (btf_int_encoding(type) & BTF_INT_SIGNED) || name_of(types_, type) == "char";
    return Type::integer(type->size, is_signed);
  }
  case BTF_KIND_ENUM:
  case BTF_KIND_ENUM64: {
    auto integer = std::make_shared<Type>(*Type::integer(type->size, btf_kflag(type)));
    if (type->name_off)
      integer->name = "enum " + name_of(types_, type);
    if (btf_is_enum(type)) {
      const struct btf_enum *values = btf_enum(type);
      for (uint32_t i = 0; i < btf_vlen(type); i++)
        integer->enumerators.push_back({btf__name_by_offset(types_, values[i].name_off),
                                        btf_kflag(type)
                                            ? int64_t{values[i].val}
                                            : int64_t{static_cast<uint32_t>(values[i].val)}});
    } else {
      const struct btf_enum64 *values = btf_enum64(type);
      for (uint32_t i = 0; i < btf_vlen(type); i++)
        integer->enumerators.push_back({btf__name_by_offset(types_, values[i].name_off),
                                        static_cast<int64_t>(btf_enum64_value(&values[i]))});
    }
    return integer;
  }
  case BTF_KIND_FLOAT:
    return opaque(type->size, align_of(types_, id), name_of(types_, type));
  case BTF_KIND_PTR:
    return pointer_to(type->type);
  case BTF_KIND_ARRAY: {
    const struct btf_array *array = btf_array(type);
    return Type::array(convert(array->type), array->nelems);
  }
  case BTF_KIND_STRUCT:
  case BTF_KIND_UNION:
    return convert_struct(id);
  case BTF_KIND_FWD:
    return named_struct(tagged_name(types_, type), btf_kflag(type), 0, 1);
  case BTF_KIND_TYPEDEF:
    return convert_typedef(id);
  case BTF_KIND_CONST:
  case BTF_KIND_VOLATILE:
  case BTF_KIND_RESTRICT:
  case BTF_KIND_TYPE_TAG:
    return convert(type->type);
  default:
    // Functions, variables and sections are not value types.
    return Type::none();
  }
}

TypePtr BtfConverter::convert_struct(uint32_t id) {
  const btf_type *type = btf__type_by_id(types_, id);
  auto result = std::make_shared<Type>();
  result->kind = Kind::Struct;
  result->is_union = btf_is_union(type);
  result->name = tagged_name(types_, type);
  result->size = type->size;
  result->align = align_of(types_, id);
  const btf_member *members = btf_members(type);
  for (uint32_t i = 0; i < btf_vlen(type); i++) {
    std::string name = btf__name_by_offset(types_, members[i].name_off);
    TypePtr member_type = convert(members[i].type);
    uint32_t bit_position = btf_member_bit_offset(type, i);
    uint32_t bit_width = btf_member_bitfield_size(type, i);
    if (bit_width)
      add_member(*result, bitfield(std::move(name), member_type, bit_position, bit_width));
    else
      add_member(*result, Field{std::move(name), member_type, bit_position / 8u});
  }
  return result;
}

// Integers keep the outermost typedef's name ("u64", "pid_t") for messages;
// an anonymous struct, union or enum takes the typedef's name as its own.
TypePtr BtfConverter::convert_typedef(uint32_t id) {
  const btf_type *type = btf__type_by_id(types_, id);
  TypePtr target = convert(type->type);
  const btf_type *named = btf__type_by_id(types_, skip_qualifiers(type->type));
  while (named && btf_is_typedef(named))
    named = btf__type_by_id(types_, skip_qualifiers(named->type));
  bool anonymous = named && !named->name_off && (btf_is_composite(named) || btf_is_any_enum(named));
  if (target->kind == Kind::Integer || anonymous)
    return renamed(target, name_of(types_, type));
  return target;
}

// Pointees that are named structs stay unresolved (see struct_layout.h);
// `void *` and function pointers point to bytes.
TypePtr BtfConverter::pointer_to(uint32_t id) {
  bool user = false;
  uint32_t target = skip_qualifiers(id, &user);
  uint32_t underlying = target;
  const btf_type *type = btf__type_by_id(types_, underlying);
  while (type && btf_is_typedef(type)) {
    underlying = skip_qualifiers(type->type, &user);
    type = btf__type_by_id(types_, underlying);
  }
  TypePtr pointee;
  if (underlying == 0 || !type || btf_is_func_proto(type))
    pointee = Type::integer(1, false);
  else if (btf_is_composite(type) && type->name_off)
    pointee = named_struct(tagged_name(types_, type), btf_is_union(type), type->size,
                           align_of(types_, underlying));
  else
    pointee = convert(target);
  return Type::pointer(std::move(pointee), user);
}

uint32_t BtfConverter::skip_qualifiers(uint32_t id, bool *user) const {
  const btf_type *type = btf__type_by_id(types_, id);
  while (id != 0 && type && is_qualifier(type)) {
    if (user && btf_is_type_tag(type) && name_of(types_, type) == "user")
      *user = true;
    id = type->type;
    type = btf__type_by_id(types_, id);
  }
  return id;
}

TypePtr BtfConverter::parameters(uint32_t proto_id, size_t skip) {
  const btf_type *proto = btf__type_by_id(types_, proto_id);
  auto record = std::make_shared<Type>();
  record->kind = Kind::Record;
  record->align = 8;
  if (!proto || !btf_is_func_proto(proto))
    return record;
  const btf_param *params = btf_params(proto);
  uint64_t slot = 0;
  for (uint32_t i = skip; i < btf_vlen(proto); i++) {
    // A trailing parameter of type void marks a variadic function.
    if (params[i].type == 0)
      break;
    std::string name = btf__name_by_offset(types_, params[i].name_off);
    if (name.empty())
      name = "arg" + std::to_string(i - skip);
    TypePtr type = convert(params[i].type);
    record->fields.push_back(Field{std::move(name), type, slot * 8});
    slot += std::max<uint64_t>(1, (type->size + 7) / 8);
  }
  record->size = slot * 8;
  return record;
}

} // namespace sonde::types
