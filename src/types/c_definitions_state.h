#pragma once

// What a CTypes holds: the parsed translation unit, kept for converting its
// types on request, and the constants read from it.

#include "types/c_definitions.h"
#include "types/c_definitions_convert.h"
#include "types/c_definitions_libclang.h"

#include <unordered_map>

namespace sonde::types {

struct CTypes::State {
  // Takes ownership of `index` and `unit`; indexes the unit's definitions.
  State(const Libclang &clang, CXIndex index, CXTranslationUnit unit,
        const std::vector<std::string> &function_files);
  ~State();
  State(const State &) = delete;
  State &operator=(const State &) = delete;

  const Libclang &clang;
  CXIndex index;
  CXTranslationUnit unit;
  ClangConverter converter;
  // "struct S", "union U", "enum E", typedef names → their definitions.
  std::unordered_map<std::string, CXCursor> definitions;
  std::unordered_map<std::string, TypePtr> converted;
  std::map<std::string, int64_t, std::less<>> constants;
  // Enumerator → the enum declaring it.
  std::unordered_map<std::string, CXCursor> enumerations;
  // Where the functions a script may call are defined, and those functions.
  std::vector<std::string> function_files;
  std::unordered_map<std::string, CXCursor> functions;
};

} // namespace sonde::types
