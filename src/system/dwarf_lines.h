#pragma once

// Source locations to code addresses through a binary's DWARF line table
// (its own debug info or that of its separate debug file), for uprobes
// written `BINARY@FILE:LINE[:COLUMN]`.

#include "common/expected.h"

#include <cstdint>
#include <string>

namespace sonde::system {

// The lowest address of a statement at `line` (and `column`, unless 0) of
// the source file `file`: a path as the compiler was given it, or its last
// components ("probe_target.c", "progs/probe_target.c"). Statements of
// files it includes do not count.
Expected<uint64_t> source_line_address(const std::string &binary, const std::string &file,
                                       uint64_t line, uint64_t column);

} // namespace sonde::system
