#pragma once

// Conversion of Clang's types (one translation unit) into sonde's Type
// model, following the conventions of btf_types.h.

#include "types/c_definitions_libclang.h"
#include "types/type.h"

#include <string>
#include <unordered_map>

namespace sonde::types {

class ClangConverter {
public:
  explicit ClangConverter(const Libclang &clang) : clang_(clang) {}

  TypePtr convert(CXType type);
  // The struct or union a StructDecl or UnionDecl cursor defines.
  TypePtr convert_record(CXCursor declaration);
  // "struct S", "union U", "enum E"; empty when the declaration has no tag
  // name (`struct { … } x`, or `typedef struct { … } T`).
  std::string tag_name(CXCursor declaration) const;

private:
  TypePtr convert_typedef(CXType type);
  TypePtr convert_enum(CXType type);
  TypePtr pointer_to(CXType pointee);

  const Libclang &clang_;
  std::unordered_map<std::string, TypePtr> records_; // named ones, by USR
};

} // namespace sonde::types
