#pragma once

// The call frame information of an x86-64 ELF file (its .eh_frame, found
// through .eh_frame_hdr), reduced to what dw_ustack()'s in-kernel unwinder
// follows: for each code range, where the canonical frame address (CFA) is
// and where the caller's frame pointer was saved. The return address is
// always at CFA - 8 on x86-64.

#include "common/bpf_c_abi.h"
#include "common/expected.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sonde::system {

// One row (common/bpf_c_abi.h), in effect from its file offset to
// the next row's.
using UnwindRow = sonde_dw_row;

// The rows of a file, sorted by file offset, each differing from the one
// before it. A file without .eh_frame_hdr fails with a line naming it.
Expected<std::vector<UnwindRow>> unwind_rows(const std::string &path);

} // namespace sonde::system
