#include "types/btf_types_source.h"

#include <bpf/btf.h>

namespace sonde::types {

BtfSource::BtfSource(const btf *types, std::string module, BtfSource *base)
    : types_(types), module_(std::move(module)), first_id_(base ? btf__type_cnt(base->types_) : 1),
      converter_(types, base ? &base->converter_ : nullptr) {}

std::optional<uint32_t> BtfSource::find(std::string_view name, std::span<const int> kinds) {
  index_types();
  auto [begin, end] = types_by_name_.equal_range(name);
  for (int kind : kinds)
    for (auto it = begin; it != end; ++it)
      if (btf_kind(btf__type_by_id(types_, it->second)) == kind)
        return it->second;
  return std::nullopt;
}

std::optional<uint32_t> BtfSource::find_function(std::string_view name) {
  index_functions();
  if (auto found = functions_by_name_.find(name); found != functions_by_name_.end())
    return found->second;
  return std::nullopt;
}

std::optional<BtfSource::Enumerator> BtfSource::find_enumerator(std::string_view name) {
  index_enumerators();
  if (auto found = enumerators_.find(name); found != enumerators_.end())
    return found->second;
  return std::nullopt;
}

void BtfSource::index_types() {
  if (types_indexed_)
    return;
  types_indexed_ = true;
  for (uint32_t id = first_id_; id < btf__type_cnt(types_); id++) {
    const btf_type *type = btf__type_by_id(types_, id);
    switch (btf_kind(type)) {
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
    case BTF_KIND_TYPEDEF:
    case BTF_KIND_INT:
    case BTF_KIND_FLOAT:
    case BTF_KIND_VAR:
      if (type->name_off)
        types_by_name_.emplace(btf__name_by_offset(types_, type->name_off), id);
      break;
    default:
      break;
    }
  }
}

void BtfSource::index_functions() {
  if (functions_indexed_)
    return;
  functions_indexed_ = true;
  for (uint32_t id = first_id_; id < btf__type_cnt(types_); id++) {
    const btf_type *type = btf__type_by_id(types_, id);
    if (btf_is_func(type))
      functions_by_name_.emplace(btf__name_by_offset(types_, type->name_off), id);
  }
}

void BtfSource::index_enumerators() {
  if (enumerators_indexed_)
    return;
  enumerators_indexed_ = true;
  for (uint32_t id = first_id_; id < btf__type_cnt(types_); id++) {
    const btf_type *type = btf__type_by_id(types_, id);
    if (btf_is_enum(type)) {
      const struct btf_enum *values = btf_enum(type);
      for (uint32_t i = 0; i < btf_vlen(type); i++) {
        // Unsigned 32-bit enumerators are stored as their bit pattern.
        int64_t value = btf_kflag(type) ? int64_t{values[i].val}
                                        : int64_t{static_cast<uint32_t>(values[i].val)};
        enumerators_.emplace(btf__name_by_offset(types_, values[i].name_off),
                             Enumerator{id, value});
      }
    } else if (btf_is_enum64(type)) {
      const struct btf_enum64 *values = btf_enum64(type);
      for (uint32_t i = 0; i < btf_vlen(type); i++)
        enumerators_.emplace(btf__name_by_offset(types_, values[i].name_off),
                             Enumerator{id, static_cast<int64_t>(btf_enum64_value(&values[i]))});
    }
  }
}

} // namespace sonde::types
