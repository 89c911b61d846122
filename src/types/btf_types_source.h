#pragma once

// One BTF file of the kernel (vmlinux, or a module's split BTF on top of
// vmlinux's), as system::KernelBtf loaded it, with name indexes built on
// first use. Used by KernelTypes.

#include "types/btf_types_convert.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct btf;

namespace sonde::types {

class BtfSource {
public:
  // `types` outlives this source; `base` is vmlinux's source when this is a
  // module.
  BtfSource(const btf *types, std::string module, BtfSource *base);
  BtfSource(const BtfSource &) = delete;
  BtfSource &operator=(const BtfSource &) = delete;

  const std::string &module() const { return module_; }
  const btf *types() const { return types_; }
  BtfConverter &converter() { return converter_; }

  // The id of this file's own type named `name` of one of `kinds`
  // (BTF_KIND_*), the first kind in `kinds` that has one winning. Forward
  // declarations are not types of their own here.
  std::optional<uint32_t> find(std::string_view name, std::span<const int> kinds);
  // This file's own BTF_KIND_FUNC named `name`.
  std::optional<uint32_t> find_function(std::string_view name);

  struct Enumerator {
    uint32_t enum_id;
    int64_t value;
  };
  std::optional<Enumerator> find_enumerator(std::string_view name);

private:
  void index_types();
  void index_functions();
  void index_enumerators();

  const btf *types_;
  std::string module_;
  uint32_t first_id_;
  BtfConverter converter_;
  // Keys point into the BTF's string section, alive as long as `types_`.
  std::unordered_multimap<std::string_view, uint32_t> types_by_name_;
  std::unordered_map<std::string_view, uint32_t> functions_by_name_;
  std::unordered_map<std::string_view, Enumerator> enumerators_;
  bool types_indexed_ = false;
  bool functions_indexed_ = false;
  bool enumerators_indexed_ = false;
};

} // namespace sonde::types
