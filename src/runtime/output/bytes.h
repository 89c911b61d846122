#pragma once

// Reading values out of BPF memory (map keys and values, event records),
// which is little-endian and possibly unaligned.

#include "types/type.h"

#include <cstdint>
#include <cstring>

namespace sonde::output {

inline uint64_t read_u64(const uint8_t *p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline int64_t read_i64(const uint8_t *p) { return static_cast<int64_t>(read_u64(p)); }

// An integer of `size` bytes, zero- or sign-extended to 64 bits.
inline uint64_t read_integer(const uint8_t *p, uint64_t size, bool is_signed) {
  switch (size) {
  case 1: {
    uint8_t v = p[0];
    return is_signed ? static_cast<uint64_t>(static_cast<int8_t>(v)) : v;
  }
  case 2: {
    uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return is_signed ? static_cast<uint64_t>(static_cast<int16_t>(v)) : v;
  }
  case 4: {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return is_signed ? static_cast<uint64_t>(static_cast<int32_t>(v)) : v;
  }
  default:
    return read_u64(p);
  }
}

// Integer, Bool and Pointer values, and the uint64 formatted kinds.
inline uint64_t read_integer(const types::Type &type, const uint8_t *p) {
  return read_integer(p, type.size, type.is_signed);
}

} // namespace sonde::output
