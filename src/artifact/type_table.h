#pragma once

// Types in an artifact's description: one table of types that refer to each
// other by index, so shared and self-referring types (a struct with a pointer
// to its own kind) are written once.

#include "common/expected.h"
#include "types/type.h"

#include <map>

#include <nlohmann/json.hpp>

namespace sonde::artifact {

class TypeTableWriter {
public:
  // The type's index in the table, adding it (and what it refers to).
  int64_t add(const types::TypePtr &type);
  nlohmann::json table() const { return table_; }

private:
  std::map<const types::Type *, int64_t> index_;
  nlohmann::json table_ = nlohmann::json::array();
};

class TypeTableReader {
public:
  // Fails on an unknown kind or an index out of the table.
  static Expected<TypeTableReader> read(const nlohmann::json &table);
  // Null for -1 (no type); throws std::out_of_range for another bad index.
  types::TypePtr at(int64_t index) const;

private:
  std::vector<types::TypePtr> types_;
};

} // namespace sonde::artifact
