#include "runtime/probes/catalog.h"

#include "common/probe_kind.h"
#include "common/registers.h"
#include "runtime/probes/attach_point.h"
#include "runtime/probes/listing.h"
#include "runtime/probes/provider.h"
#include "runtime/probes/tracefs_access.h"
#include "runtime/probes/usdt.h"
#include "runtime/probes/wildcard.h"
#include "system/dwarf_arguments.h"
#include "system/elf_symbols.h"
#include "system/tracefs.h"
#include "types/btf_types.h"
#include "types/dwarf_types.h"

#include <map>

namespace sonde::probes {

namespace {

using types::Type;
using types::TypePtr;

std::string strip_qualifiers(std::string text) {
  for (std::string qualifier : {"const ", "volatile "}) {
    size_t at;
    while ((at = text.find(qualifier)) != std::string::npos)
      text.erase(at, qualifier.size());
  }
  while (!text.empty() && text.back() == ' ')
    text.pop_back();
  return text;
}

// An integer type named in C or kernel spelling ("unsigned int", "u16",
// "__s32"); unknown typedefs count as 64-bit.
TypePtr integer_named(const std::string &name) {
  static const std::map<std::string, std::pair<uint64_t, bool>> kIntegers = {
      {"char", {1, true}},
      {"signed char", {1, true}},
      {"unsigned char", {1, false}},
      {"short", {2, true}},
      {"unsigned short", {2, false}},
      {"int", {4, true}},
      {"unsigned int", {4, false}},
      {"unsigned", {4, false}},
      {"long", {8, true}},
      {"unsigned long", {8, false}},
      {"long long", {8, true}},
      {"unsigned long long", {8, false}},
      {"u8", {1, false}},
      {"s8", {1, true}},
      {"u16", {2, false}},
      {"s16", {2, true}},
      {"u32", {4, false}},
      {"s32", {4, true}},
      {"u64", {8, false}},
      {"s64", {8, true}},
      {"pid_t", {4, true}},
      {"size_t", {8, false}},
      {"bool", {1, false}},
  };
  std::string key = name.starts_with("__") ? name.substr(2) : name;
  auto found = kIntegers.find(key);
  if (found == kIntegers.end())
    return Type::integer(8, false);
  return Type::integer(found->second.first, found->second.second);
}

// The pointee of `base` ("char", "struct sockaddr", "void").
TypePtr pointee_type(const std::string &base) {
  if (base.starts_with("struct ") || base.starts_with("union ")) {
    auto record = std::make_shared<Type>();
    record->kind = types::Kind::Struct;
    record->name = base;
    record->is_union = base.starts_with("union ");
    return record;
  }
  if (base == "void")
    return Type::none();
  return integer_named(base);
}

TypePtr field_type(const std::string &category, const system::TracepointField &field) {
  std::string type = strip_qualifiers(field.type);
  bool is_char = type == "char" || type == "signed char" || type == "unsigned char";
  if (field.data_loc || field.rel_loc)
    return Type::array(is_char ? Type::integer(1, true) : pointee_type(type), 0);
  if (field.array_length) {
    uint64_t count = *field.array_length;
    if (is_char)
      return Type::string(field.size);
    uint64_t element_size = count ? field.size / count : 1;
    return Type::array(Type::integer(element_size ? element_size : 1, field.is_signed), count);
  }
  if (!type.empty() && type.back() == '*') {
    std::string base = type;
    int depth = 0;
    while (!base.empty() && (base.back() == '*' || base.back() == ' ')) {
      depth += base.back() == '*';
      base.pop_back();
    }
    TypePtr pointer = pointee_type(base);
    for (int i = 0; i < depth; i++)
      pointer = Type::pointer(pointer, category == "syscalls");
    return pointer;
  }
  if (field.size == 1 || field.size == 2 || field.size == 4 || field.size == 8) {
    auto integer = std::make_shared<Type>(*Type::integer(field.size, field.is_signed));
    if (type.starts_with("enum "))
      integer->name = type; // sema finds its enumerators
    return integer;
  }
  return Type::array(Type::integer(1, false), field.size);
}

} // namespace

sema::Expansion ProviderCatalog::expand_in_process(const AttachPointSpec &spec,
                                                   const std::string &attach_point) {
  sema::Expansion expansion;
  for (const std::string &binary : process_binaries(*target_pid_)) {
    AttachPointSpec in_file = spec;
    in_file.fields[0] = binary;
    auto canonical = canonical_attach_point(in_file.text());
    if (!canonical)
      continue;
    auto specs = expand_canonical(*canonical);
    if (!specs)
      continue;
    for (const AttachPointSpec &match : *specs)
      expansion.targets.push_back(sema::ProbeTarget{match.provider, match.text(), match.fields});
  }
  if (expansion.targets.empty()) {
    expansion.missing = true;
    expansion.error =
        "No probes matched '" + attach_point + "' in process " + std::to_string(*target_pid_);
  }
  return expansion;
}

sema::Expansion ProviderCatalog::expand(const std::string &attach_point) {
  if (target_pid_) {
    auto parsed = parse_attach_point(attach_point);
    if (parsed && !parsed->fields.empty() && parsed->fields[0].empty() &&
        find_provider(parsed->provider)->kind().address_space == AddressSpace::User)
      return expand_in_process(*parsed, attach_point);
  }
  sema::Expansion expansion;
  auto canonical = canonical_attach_point(attach_point);
  if (!canonical) {
    expansion.error = canonical.error();
    return expansion;
  }
  auto specs = expand_canonical(*canonical);
  expansion.missing = !specs || specs->empty();
  if (!specs) {
    expansion.error = specs.error();
    return expansion;
  }
  if (specs->empty()) {
    expansion.error = "No probes matched '" + attach_point + "'";
    expansion.kind = find_probe_kind(canonical->provider);
    expansion.fields = canonical->fields;
    if (find_probe_kind(canonical->provider)->context == ProbeContext::TracepointRecord)
      if (std::string why = tracefs_needs_root(); !why.empty())
        expansion.error += ": " + why;
    if (!canonical->fields.empty() && !has_wildcard(canonical->fields.back())) {
      std::vector<std::string> pattern = canonical->fields;
      pattern.back() = "*";
      for (const AttachPointSpec &spec : find_provider(canonical->provider)->list(pattern))
        expansion.alternatives.push_back(spec.text());
    }
    return expansion;
  }
  for (const AttachPointSpec &spec : *specs)
    expansion.targets.push_back(sema::ProbeTarget{spec.provider, spec.text(), spec.fields});
  return expansion;
}

std::vector<sema::ArgumentLayout> ProviderCatalog::usdt_layouts(const sema::ProbeTarget &target) {
  std::vector<sema::ArgumentLayout> result;
  if (target.fields.size() < 3)
    return result;
  auto layouts = usdt_argument_layouts(target.fields[0], target.fields[1], target.fields[2]);
  if (!layouts)
    return result;
  for (const auto &layout : *layouts) {
    sema::ArgumentLayout out;
    out.sites = usdt_sites_field(layout.sites);
    for (const auto &a : layout.arguments) {
      sema::MachineArgument arg;
      arg.kind = a.kind == UsdtArgumentKind::Constant   ? sema::MachineArgument::Kind::Constant
                 : a.kind == UsdtArgumentKind::Register ? sema::MachineArgument::Kind::Register
                                                        : sema::MachineArgument::Kind::Memory;
      arg.size = a.size;
      arg.is_signed = a.is_signed;
      arg.value = a.value;
      arg.has_register = !a.register_name.empty();
      arg.register_offset = a.register_offset;
      arg.scale = a.scale;
      arg.index_register_offset = a.index_register_offset;
      out.arguments.push_back(arg);
    }
    result.push_back(std::move(out));
  }
  return result;
}

types::TypePtr ProviderCatalog::user_type(const std::string &binary, const std::string &c_name) {
  auto type = system::dwarf_named_type(binary, c_name);
  return type ? types::from_dwarf(*type) : nullptr;
}

// Parameters after the sixth, or passed in more than one register (structs
// by value), are on the stack or split: they are left out.
std::string ProviderCatalog::unsafe_attach(const sema::ProbeTarget &target) {
  return find_provider(target.provider)->unsafe_attach({target.provider, target.fields});
}

types::TypePtr ProviderCatalog::function_args(const sema::ProbeTarget &target) {
  const ProbeKind *kind = find_probe_kind(target.provider);
  if (kind && kind->args_from_btf && !target.fields.empty()) {
    auto prototype = types::KernelTypes::get().raw_tracepoint_prototype(target.fields.back());
    return prototype ? prototype->args : nullptr;
  }
  if (target.fields.size() != 2)
    return nullptr;
  const std::string &path = target.fields[0];
  std::optional<uint64_t> address;
  if (auto symbols = system::ElfSymbols::read(path))
    if (const system::ElfSymbol *symbol = (*symbols)->function(target.fields[1]))
      address = symbol->address;
  auto parameters = system::dwarf_parameters(path, target.fields[1], address);
  if (parameters.empty())
    return nullptr;
  auto args = std::make_shared<Type>();
  args->kind = types::Kind::Record;
  args->align = 8;
  args->size = kPtRegsSize;
  for (size_t i = 0; i < parameters.size(); i++) {
    const PtRegsRegister *reg = argument_register(i);
    if (!reg || !parameters[i].layout || parameters[i].name.empty())
      continue;
    TypePtr type = types::from_dwarf(*parameters[i].layout);
    if (type->size == 0 || type->size > 8 || type->kind == types::Kind::Struct ||
        type->kind == types::Kind::Array)
      continue;
    args->fields.push_back(types::Field{parameters[i].name, type, reg->offset});
  }
  return args;
}

types::TypePtr ProviderCatalog::tracepoint_args(const std::string &category,
                                                const std::string &event) {
  auto format = system::tracefs::format(category, event);
  if (!format)
    return nullptr;
  return tracepoint_args_type(category, *format);
}

types::TypePtr tracepoint_args_type(const std::string &category,
                                    const system::TracepointFormat &format) {
  auto args = std::make_shared<Type>();
  args->kind = types::Kind::Struct;
  args->name = "struct _tracepoint_" + category + "_" + format.name;
  args->align = 8;
  uint64_t end = 0;
  for (const system::TracepointField &field : format.fields) {
    if (field.is_common())
      continue;
    types::Field member{field.name, field_type(category, field), field.offset};
    member.data_loc = field.data_loc || field.rel_loc;
    end = std::max(end, field.offset + field.size);
    args->fields.push_back(std::move(member));
  }
  args->size = (end + 7) / 8 * 8;
  return args;
}

} // namespace sonde::probes
