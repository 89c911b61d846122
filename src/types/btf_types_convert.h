#pragma once

// Conversion of the types of one BTF object into sonde's Type model. Used by
// KernelTypes; see btf_types.h for the conventions.

#include "types/type.h"

#include <cstddef>
#include <cstdint>
#include <unordered_map>

struct btf;

namespace sonde::types {

class BtfConverter {
public:
  // `base` converts the ids of the base BTF when `types` is a module's split
  // BTF, so that vmlinux types are converted (and cached) once.
  BtfConverter(const btf *types, BtfConverter *base);

  // A type with every struct and union it holds by value filled in;
  // pointees are unresolved named structs (see struct_layout.h).
  TypePtr convert(uint32_t id);

  // The parameters of a FUNC_PROTO, from the `skip`-th on, as a Record with
  // one field per parameter in its own 8-byte slot (two slots for a struct of
  // up to 16 bytes), the way fentry and raw tracepoint programs see them.
  // Unnamed parameters are called arg0, arg1… after their position.
  TypePtr parameters(uint32_t proto_id, size_t skip);

private:
  TypePtr convert_uncached(uint32_t id);
  TypePtr convert_struct(uint32_t id);
  TypePtr convert_typedef(uint32_t id);
  TypePtr pointer_to(uint32_t id);
  // Follows const, volatile, restrict and type tags; sets `user` when a
  // "user" type tag (the kernel's __user) is among them.
  uint32_t skip_qualifiers(uint32_t id, bool *user = nullptr) const;

  const btf *types_;
  BtfConverter *base_;
  uint32_t first_id_;
  std::unordered_map<uint32_t, TypePtr> cache_;
};

} // namespace sonde::types
