#include "system/btf_functions.h"

#include "system/kernel_btf.h"

#include <algorithm>
#include <bpf/btf.h>

namespace sonde::system {

namespace {

std::string name_of(const btf *types, const btf_type *type) {
  return btf__name_by_offset(types, type->name_off);
}

} // namespace

Expected<BtfFunction> kernel_function(const std::string &module, const std::string &name) {
  KernelBtf &kernel = KernelBtf::get();
  std::vector<std::string> modules = module.empty() ? kernel.modules() : std::vector{module};
  for (const std::string &candidate : modules) {
    auto types = kernel.load(candidate);
    if (!types)
      return error(types.error());
    int id = btf__find_by_name_kind(*types, name.c_str(), BTF_KIND_FUNC);
    if (id < 0)
      continue;
    const btf_type *func = btf__type_by_id(*types, id);
    return BtfFunction{*types, candidate, static_cast<uint32_t>(id), func->type};
  }
  return error("no kernel function '" + name + "' in the BTF of " +
               (module.empty() ? "the kernel" : module));
}

Expected<BtfFunction> raw_tracepoint_function(const std::string &name) {
  auto function = kernel_function("", "__bpf_trace_" + name);
  if (!function)
    return error("no raw tracepoint '" + name + "' in the BTF of the kernel");
  return function;
}

std::vector<std::string> kernel_functions(const std::string &module,
                                          const std::function<bool(std::string_view)> &wanted) {
  std::vector<std::string> names;
  KernelBtf &kernel = KernelBtf::get();
  auto types = kernel.load(module);
  if (!types)
    return names;
  // Module BTFs number their types after vmlinux's; list only their own.
  uint32_t first = 1;
  if (module != "vmlinux")
    if (auto base = kernel.load("vmlinux"))
      first = btf__type_cnt(*base);
  for (uint32_t id = first; id < btf__type_cnt(*types); id++) {
    const btf_type *type = btf__type_by_id(*types, id);
    if (!btf_is_func(type))
      continue;
    std::string name = name_of(*types, type);
    if (wanted(name))
      names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::vector<BtfParameter> btf_parameters(const btf *types, uint32_t proto_id, size_t skip) {
  std::vector<BtfParameter> parameters;
  const btf_type *proto = btf__type_by_id(types, proto_id);
  if (!proto || !btf_is_func_proto(proto))
    return parameters;
  const btf_param *params = btf_params(proto);
  for (size_t i = skip; i < btf_vlen(proto); i++) {
    // A trailing unnamed void parameter marks a variadic function.
    if (params[i].type == 0)
      break;
    parameters.push_back(BtfParameter{btf_type_name(types, params[i].type),
                                      btf__name_by_offset(types, params[i].name_off)});
  }
  return parameters;
}

std::string btf_type_name(const btf *types, uint32_t type_id) {
  if (type_id == 0)
    return "void";
  const btf_type *type = btf__type_by_id(types, type_id);
  if (!type)
    return "?";
  switch (btf_kind(type)) {
  case BTF_KIND_PTR: {
    const btf_type *target = btf__type_by_id(types, type->type);
    if (target && btf_is_func_proto(target))
      return "void *";
    std::string pointee = btf_type_name(types, type->type);
    return pointee + (pointee.ends_with('*') ? "*" : " *");
  }
  case BTF_KIND_CONST:
    return "const " + btf_type_name(types, type->type);
  case BTF_KIND_VOLATILE:
    return "volatile " + btf_type_name(types, type->type);
  case BTF_KIND_RESTRICT:
  case BTF_KIND_TYPE_TAG:
    return btf_type_name(types, type->type);
  case BTF_KIND_ARRAY: {
    const struct btf_array *array = btf_array(type);
    return btf_type_name(types, array->type) + "[" + std::to_string(array->nelems) + "]";
  }
  case BTF_KIND_STRUCT:
    return "struct " + name_of(types, type);
  case BTF_KIND_UNION:
    return "union " + name_of(types, type);
  case BTF_KIND_ENUM:
  case BTF_KIND_ENUM64:
    return "enum " + name_of(types, type);
  case BTF_KIND_FWD:
    return (btf_kflag(type) ? "union " : "struct ") + name_of(types, type);
  default:
    return name_of(types, type);
  }
}

} // namespace sonde::system
