#include "runtime/probes/unprobeable.h"

#include <array>
#include <unistd.h>

namespace sonde::probes {

namespace {

constexpr size_t kMaxInstruction = 15;

bool is_rex(uint8_t byte) { return (byte & 0xf0) == 0x40; }

} // namespace

bool unprobeable_instruction(std::span<const uint8_t> bytes) {
#if defined(__x86_64__)
  for (size_t i = 0; i < bytes.size(); i++) {
    switch (bytes[i]) {
    case 0xf0: // lock
    case 0x26: // es
    case 0x2e: // cs
    case 0x36: // ss
    case 0x3e: // ds
      return true;
    case 0x66: // operand size
    case 0x67: // address size
    case 0xf2: // repne
    case 0xf3: // rep
      continue;
    case 0xc4: // three-byte VEX
    case 0xc5: // two-byte VEX
    case 0x62: // EVEX (AVX-512): the kernel decodes some as short jumps and skips them
      return i == 0;
    default:
      if (is_rex(bytes[i]))
        continue;
      return false;
    }
  }
#endif
  return false;
}

bool unprobeable_instruction_at(int fd, uint64_t offset) {
  std::array<uint8_t, kMaxInstruction> bytes{};
  ssize_t n = pread(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
  return n > 0 && unprobeable_instruction(std::span(bytes.data(), static_cast<size_t>(n)));
}

} // namespace sonde::probes
