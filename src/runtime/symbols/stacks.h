#pragma once

// Reading the stacks that programs record with bpf_get_stackid(), and those
// dw_ustack() unwinds into a map of the same layout.

#include <cstdint>
#include <functional>
#include <vector>

namespace sonde::symbols {

// The instruction pointers of a recorded stack, innermost first; empty for a
// stack that cannot be read.
using StackReader = std::function<std::vector<uint64_t>(uint64_t stack)>;

// Stacks in BPF_MAP_TYPE_STACK_TRACE maps (value: up to value_size / 8
// instruction pointers, zero after the last one). A program's stack value is
//   map_index << 32 | (uint32_t)bpf_get_stackid(ctx, &map, flags)
// where map_index indexes `map_fds`; a failed bpf_get_stackid() (negative)
// reads as an empty stack.
StackReader stack_trace_reader(std::vector<int> map_fds);

} // namespace sonde::symbols
