#pragma once

// Sema's types for the C types of a user binary's debug info
// (system/dwarf_type.h): `args` of uprobes. Pointers point into user memory.

#include "system/dwarf_type.h"
#include "types/type.h"

namespace sonde::types {

TypePtr from_dwarf(const system::DwarfType &type);

} // namespace sonde::types
