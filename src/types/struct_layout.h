#pragma once

// Building blocks for C struct and union types, shared by the readers of
// kernel BTF (btf_types.h) and of a script's C definitions (c_definitions.h),
// so that both describe the same C in the same way.

#include "types/type.h"

#include <string>

namespace sonde::types {

// A struct or union known by name only: `fields` stays empty until someone
// asks for the definition (KernelTypes::resolve, CTypes::resolve). Pointees
// are converted like this so that one struct does not drag in the whole
// type graph behind its pointers.
TypePtr named_struct(std::string name, bool is_union, uint64_t size, uint64_t align);

// Whether `type` is a named struct or union whose fields were not filled in
// (see named_struct).
bool is_unresolved_struct(const Type &type);

// A value this model has no kind for (floating point, 128-bit integers):
// kept as `size` bytes, so the struct around it keeps its layout, and named
// by its C type (JSON output gives it as null).
TypePtr opaque(uint64_t size, uint64_t align, std::string name);

// A bitfield of `bit_width` bits starting `bit_position` bits into its
// struct. Its `offset` is that of the storage unit holding it — the
// naturally aligned unit of the field type's size, as the SysV ABI places
// bitfields — and `bit_offset` counts from that unit's least significant
// bit. A bitfield straddling units (packed structs) gets the byte holding
// its first bit instead.
Field bitfield(std::string name, TypePtr type, uint64_t bit_position, uint32_t bit_width);

// Appends a member to a struct being built. An unnamed struct or union
// member is flattened: its fields join `parent` at their offsets, so that
// `a.x` reaches `x` inside `struct a { union { int x; }; }` as in C.
void add_member(Type &parent, Field member);

} // namespace sonde::types
