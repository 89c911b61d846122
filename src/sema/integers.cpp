#include "sema/integers.h"

#include <algorithm>

namespace sonde::sema {

using types::Type;
using types::TypePtr;

TypePtr promote_integers(const TypePtr &a, const TypePtr &b) {
  if (a->sign_flexible)
    return b;
  if (b->sign_flexible || a->is_signed == b->is_signed)
    return a->size >= b->size ? a : b;
  const auto &s = a->is_signed ? a : b;
  const auto &u = a->is_signed ? b : a;
  if (s->size > u->size)
    return s;
  return Type::integer(std::min<uint64_t>(8, u->size * 2), true);
}

bool may_change_value(const Type &from, const Type &to) {
  if (from.sign_flexible)
    return false;
  if (from.is_signed == to.is_signed)
    return from.size > to.size;
  return !from.is_signed ? from.size >= to.size : true;
}

std::string implicit_cast_warning(const Type &from, const Type &to) {
  return "Expression of type: " + from.display_name() +
         " being cast to type: " + to.display_name() +
         ".\nThis may cause unexpected results. Use an explicit cast to suppress this warning.";
}

bool fits_integer(int64_t value, const Type &to) {
  if (to.size >= 8)
    return to.is_signed || value >= 0;
  int64_t bits = static_cast<int64_t>(to.size * 8);
  if (to.is_signed)
    return value >= -(int64_t{1} << (bits - 1)) && value < (int64_t{1} << (bits - 1));
  return value >= 0 && value < (int64_t{1} << bits);
}

TypePtr literal_type(int64_t value) {
  for (uint64_t size : {1, 2, 4})
    if (fits_integer(value, *Type::integer(size, true)))
      return Type::integer(size, true);
  return Type::integer(8, true);
}

TypePtr widened_for_literal(const TypePtr &integer, uint64_t value) {
  for (uint64_t size = integer->size; size < 8; size *= 2)
    if (value <= static_cast<uint64_t>(INT64_MAX) &&
        fits_integer(static_cast<int64_t>(value), *types::resized_integer(integer, size)))
      return size == integer->size ? integer : types::resized_integer(integer, size);
  return types::resized_integer(integer, 8);
}

} // namespace sonde::sema
