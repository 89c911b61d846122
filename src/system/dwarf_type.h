#pragma once

// A C type as a binary's DWARF debug info lays it out, for the `args` of
// uprobes (types/dwarf_types.h turns it into sema's types). Typedefs and
// qualifiers are looked through.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sonde::system {

struct DwarfType;
using DwarfTypePtr = std::shared_ptr<const DwarfType>;

struct DwarfMember {
  std::string name; // empty for an unnamed struct or union member
  DwarfTypePtr type;
  uint64_t bit_position = 0; // from the start of the struct
  uint32_t bit_width = 0;    // 0 unless a bitfield
};

struct DwarfType {
  enum class Kind { Void, Integer, Bool, Other, Pointer, Array, Struct } kind = Kind::Void;
  uint64_t size = 0;
  bool is_signed = false;
  bool is_union = false;
  std::string name;     // "struct Foo", "enum e"; empty for anonymous ones
  DwarfTypePtr element; // Pointer: null for void and functions; Array
  uint64_t count = 0;   // Array
  // Struct; empty when the struct was already being described further up
  // (a pointer back to it) or is only declared.
  std::vector<DwarfMember> members;
};

} // namespace sonde::system
