#include "types/btf_types.h"

#include "system/kernel_btf.h"
#include "types/btf_types_source.h"
#include "types/struct_layout.h"

#include <algorithm>
#include <bpf/btf.h>
#include <span>

namespace sonde::types {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return s;
}

FunctionPrototype prototype(BtfSource &source, uint32_t proto_id, size_t skip) {
  const btf_type *proto = btf__type_by_id(source.types(), proto_id);
  BtfConverter &converter = source.converter();
  return FunctionPrototype{converter.parameters(proto_id, skip), converter.convert(proto->type),
                           source.module()};
}

bool take_prefix(std::string_view &s, std::string_view prefix) {
  if (!s.starts_with(prefix))
    return false;
  s = trim(s.substr(prefix.size()));
  return true;
}

} // namespace

KernelTypes &KernelTypes::get() {
  static KernelTypes kernel(system::KernelBtf::get());
  return kernel;
}

KernelTypes::KernelTypes(system::KernelBtf &btf) : btf_(btf) {}

KernelTypes::KernelTypes(std::string btf_dir)
    : own_btf_(std::make_unique<system::KernelBtf>(std::move(btf_dir))), btf_(*own_btf_) {}

KernelTypes::~KernelTypes() = default;

bool KernelTypes::available() { return source(0) != nullptr; }

BtfSource *KernelTypes::source(size_t index) {
  if (index < sources_.size())
    return sources_[index].get();
  if (sources_.empty()) {
    if (!error_.empty())
      return nullptr;
    auto vmlinux = btf_.load("vmlinux");
    if (!vmlinux) {
      error_ = vmlinux.error();
      return nullptr;
    }
    sources_.push_back(std::make_unique<BtfSource>(*vmlinux, "vmlinux", nullptr));
    return index == 0 ? sources_[0].get() : source(index);
  }
  const std::vector<std::string> &modules = btf_.modules();
  while (index >= sources_.size() && next_module_ < modules.size()) {
    const std::string &module = modules[next_module_++];
    // A module unloaded since the listing just drops out.
    if (auto loaded = btf_.load(module))
      sources_.push_back(std::make_unique<BtfSource>(*loaded, module, sources_[0].get()));
  }
  return index < sources_.size() ? sources_[index].get() : nullptr;
}

std::optional<KernelTypes::Found> KernelTypes::locate_type(std::string_view c_name) {
  static constexpr int plain[] = {BTF_KIND_TYPEDEF, BTF_KIND_INT, BTF_KIND_FLOAT};
  static constexpr int structs[] = {BTF_KIND_STRUCT};
  static constexpr int unions[] = {BTF_KIND_UNION};
  static constexpr int enums[] = {BTF_KIND_ENUM, BTF_KIND_ENUM64};
  std::string_view name = trim(c_name);
  std::span<const int> kinds = plain;
  if (take_prefix(name, "struct "))
    kinds = structs;
  else if (take_prefix(name, "union "))
    kinds = unions;
  else if (take_prefix(name, "enum "))
    kinds = enums;
  for (size_t i = 0; BtfSource *source = this->source(i); i++)
    if (auto id = source->find(name, kinds))
      return Found{source, *id};
  return std::nullopt;
}

std::optional<KernelTypes::Found> KernelTypes::locate_enumerator(std::string_view name) {
  for (size_t i = 0; BtfSource *source = this->source(i); i++)
    if (auto enumerator = source->find_enumerator(name))
      return Found{source, enumerator->enum_id};
  return std::nullopt;
}

TypePtr KernelTypes::find_type(std::string_view c_name) {
  auto found = locate_type(c_name);
  if (!found)
    return nullptr;
  return found->source->converter().convert(found->id);
}

TypePtr KernelTypes::resolve(const TypePtr &type) {
  if (!type || !is_unresolved_struct(*type))
    return type;
  TypePtr definition = find_type(type->name);
  return definition ? definition : type;
}

TypePtr KernelTypes::variable_type(std::string_view name) {
  static constexpr int kVariable[] = {BTF_KIND_VAR};
  for (size_t i = 0; BtfSource *source = this->source(i); i++)
    if (auto id = source->find(name, kVariable))
      return source->converter().convert(btf__type_by_id(source->types(), *id)->type);
  return nullptr;
}

std::optional<int64_t> KernelTypes::enum_value(std::string_view enumerator) {
  for (size_t i = 0; BtfSource *source = this->source(i); i++)
    if (auto found = source->find_enumerator(enumerator))
      return found->value;
  return std::nullopt;
}

TypePtr KernelTypes::enumeration(std::string_view enumerator) {
  auto found = locate_enumerator(enumerator);
  return found ? found->source->converter().convert(found->id) : nullptr;
}

std::optional<FunctionPrototype> KernelTypes::function_prototype(std::string_view function) {
  for (size_t i = 0; BtfSource *source = this->source(i); i++)
    if (auto id = source->find_function(function))
      return prototype(*source, btf__type_by_id(source->types(), *id)->type, 0);
  return std::nullopt;
}

std::optional<FunctionPrototype> KernelTypes::raw_tracepoint_prototype(std::string_view event) {
  // Kernels since 6.4 have a stub function per event whose parameters are
  // named; older ones only the typedef behind the tracepoint's callbacks:
  // typedef void (*btf_trace_<event>)(void *__data, <the event's arguments>);
  std::string name(event);
  for (size_t i = 0; BtfSource *source = this->source(i); i++) {
    if (auto stub = source->find_function("__probestub_" + name)) {
      const btf_type *func = btf__type_by_id(source->types(), *stub);
      return prototype(*source, func->type, 1);
    }
  }
  auto found = locate_type("btf_trace_" + name);
  if (!found)
    return std::nullopt;
  const btf_type *pointer = btf__type_by_id(
      found->source->types(), btf__type_by_id(found->source->types(), found->id)->type);
  if (!pointer || !btf_is_ptr(pointer) ||
      !btf_is_func_proto(btf__type_by_id(found->source->types(), pointer->type)))
    return std::nullopt;
  return prototype(*found->source, pointer->type, 1);
}

} // namespace sonde::types
