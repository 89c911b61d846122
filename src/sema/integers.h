#pragma once

// How bpftrace 0.26 merges integer types: a variable or map assigned integers
// of different signs holds a signed type that can hold both (int64 when none
// can), and each value converted so that it may change is warned about.

#include <string>

#include "types/type.h"

namespace sonde::sema {

// The integer type for values of `a` and `b` when their signs differ: the
// signed one when it is larger, else a signed type twice the unsigned one's
// size, at most int64. A sign-flexible literal takes the other's type.
types::TypePtr promote_integers(const types::TypePtr &a, const types::TypePtr &b);

// Whether converting a value of `from` to `to` may change it: a sign
// reinterpreted or a truncation. A sign-flexible literal converts freely.
bool may_change_value(const types::Type &from, const types::Type &to);

// The warning bpftrace gives for such an implicit conversion.
std::string implicit_cast_warning(const types::Type &from, const types::Type &to);

// Whether `value` is in the range of the integer type `to`.
bool fits_integer(int64_t value, const types::Type &to);

// The type of an integer literal (bpftrace 0.26): the smallest signed type
// that holds `value` (`0`, `1` and `-1` are int8).
types::TypePtr literal_type(int64_t value);

// `integer` (of its sign) widened as little as holds the literal `value`.
types::TypePtr widened_for_literal(const types::TypePtr &integer, uint64_t value);

} // namespace sonde::sema
