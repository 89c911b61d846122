#pragma once

// Instructions the kernel will not place an x86-64 uprobe on, recognised
// from their first bytes: a LOCK or segment-override prefix, or a VEX or
// EVEX prefix (AVX, AVX-512). Finding them before attaching keeps one bad
// site from failing the multi link of thousands of good ones; sites this
// misses are still found by the kernel. EVEX is refused although the kernel
// takes it: it reads the opcode byte as a legacy one, so an EVEX
// vpbroadcastb (opcode 0x7a, "jp") is emulated as a jump and never runs —
// a probe on glibc's __strchrnul_evex breaks printf in the traced program.

#include <cstddef>
#include <cstdint>
#include <span>

namespace sonde::probes {

bool unprobeable_instruction(std::span<const uint8_t> bytes);

// The same for the instruction at `offset` in the open file `fd`; false
// when it cannot be read.
bool unprobeable_instruction_at(int fd, uint64_t offset);

} // namespace sonde::probes
