#include "system/dwarf_arguments.h"

#include "system/elf_file.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <map>
#include <memory>
#include <unordered_map>
#include <utility>

namespace sonde::system {

namespace {

// Type chains are short; a longer one is a malformed (cyclic) file.
constexpr int kMaxDepth = 32;

// The functions with code of one file's debug info, by entry address and by
// name.
struct DebugInfo {
  DebugInfo(ElfFile elf_file, Dwarf *dwarf_handle)
      : file(std::move(elf_file)), dwarf(dwarf_handle) {}
  DebugInfo(const DebugInfo &) = delete;
  DebugInfo &operator=(const DebugInfo &) = delete;
  ~DebugInfo() { dwarf_end(dwarf); }

  ElfFile file; // owns the Elf that `dwarf` reads
  Dwarf *dwarf;
  std::unordered_map<uint64_t, Dwarf_Off> by_address;
  std::unordered_map<std::string, Dwarf_Off> by_name;
  // Type definitions at the top of each unit, by C name; filled on first use.
  std::unordered_map<std::string, Dwarf_Off> types_by_name;
  bool types_indexed = false;
};

// A string attribute, also when the DIE inherits it from its declaration
// or abstract origin.
std::string string_attribute(Dwarf_Die *die, unsigned int name) {
  Dwarf_Attribute attribute;
  const char *text = dwarf_formstring(dwarf_attr_integrate(die, name, &attribute));
  return text ? text : "";
}

// The type a DIE refers to, or null for void.
Dwarf_Die *referenced_type(Dwarf_Die *die, Dwarf_Die *memory) {
  Dwarf_Attribute attribute;
  return dwarf_formref_die(dwarf_attr_integrate(die, DW_AT_type, &attribute), memory);
}

std::optional<uint64_t> entry_address(Dwarf_Die *function) {
  Dwarf_Addr address = 0;
  if (dwarf_entrypc(function, &address) == 0)
    return address;
  Dwarf_Addr base = 0, end = 0;
  if (dwarf_ranges(function, 0, &base, &address, &end) > 0)
    return address;
  return std::nullopt;
}

int index_function(Dwarf_Die *function, void *argument) {
  auto &info = *static_cast<DebugInfo *>(argument);
  auto address = entry_address(function);
  if (!address)
    return DWARF_CB_OK; // a declaration or an abstract inline definition
  Dwarf_Off offset = dwarf_dieoffset(function);
  info.by_address.emplace(*address, offset);
  for (unsigned int attribute : {DW_AT_linkage_name, DW_AT_MIPS_linkage_name, DW_AT_name})
    if (std::string name = string_attribute(function, attribute); !name.empty())
      info.by_name.emplace(name, offset);
  return DWARF_CB_OK;
}

// The file's debug info, or null when it has none describing functions.
std::unique_ptr<DebugInfo> index_file(ElfFile file) {
  Dwarf *dwarf = dwarf_begin_elf(file.elf(), DWARF_C_READ, nullptr);
  if (!dwarf)
    return nullptr;
  auto info = std::make_unique<DebugInfo>(std::move(file), dwarf);
  Dwarf_CU *unit = nullptr;
  uint8_t unit_type = 0;
  Dwarf_Die unit_die;
  while (dwarf_get_units(dwarf, unit, &unit, nullptr, &unit_type, &unit_die, nullptr) == 0)
    if (unit_type == DW_UT_compile || unit_type == DW_UT_partial)
      dwarf_getfuncs(&unit_die, index_function, info.get(), 0);
  if (info->by_address.empty() && info->by_name.empty())
    return nullptr;
  return info;
}

std::unique_ptr<DebugInfo> read_debug_info(const std::string &path) {
  auto file = ElfFile::open(path);
  if (!file)
    return nullptr;
  std::string debug_path = file->debug_file_path();
  if (auto info = index_file(std::move(*file)))
    return info;
  if (debug_path.empty())
    return nullptr;
  auto debug = ElfFile::open(debug_path);
  return debug ? index_file(std::move(*debug)) : nullptr;
}

DebugInfo *debug_info(const std::string &path) {
  static std::map<std::string, std::unique_ptr<DebugInfo>> cache;
  auto found = cache.find(path);
  if (found == cache.end())
    found = cache.emplace(path, read_debug_info(path)).first;
  return found->second.get();
}

// A declarator after a type name: a '*' or '[' goes against the name
// ("char*", "int[4]"), anything else after a space ("int (*)(int)").
std::string join(const std::string &name, const std::string &declarator) {
  if (declarator.empty() || declarator[0] == '*' || declarator[0] == '[' || declarator[0] == '&')
    return name + declarator;
  return name + " " + declarator;
}

// A qualifier or pointer before a declarator: "**", "* const", and
// "* (*)(int)" for a function pointer's pointer return type.
std::string prefix(const std::string &before, const std::string &declarator) {
  if (declarator.empty() ||
      (declarator[0] != '(' && !std::isalpha(static_cast<unsigned char>(declarator[0]))))
    return before + declarator;
  return before + " " + declarator;
}

bool is_tag(Dwarf_Die *die, std::initializer_list<int> tags) {
  if (!die)
    return false;
  int tag = dwarf_tag(die);
  for (int candidate : tags)
    if (tag == candidate)
      return true;
  return false;
}

std::string declare(Dwarf_Die *type, const std::string &declarator, int depth);

std::string array_bounds(Dwarf_Die *array) {
  std::string bounds;
  Dwarf_Die child;
  if (dwarf_child(array, &child) != 0)
    return "[]";
  do {
    if (dwarf_tag(&child) != DW_TAG_subrange_type)
      continue;
    Dwarf_Attribute attribute;
    Dwarf_Word value = 0;
    if (dwarf_formudata(dwarf_attr(&child, DW_AT_count, &attribute), &value) == 0)
      bounds += "[" + std::to_string(value) + "]";
    else if (dwarf_formudata(dwarf_attr(&child, DW_AT_upper_bound, &attribute), &value) == 0 &&
             value < UINT32_MAX)
      bounds += "[" + std::to_string(value + 1) + "]";
    else
      bounds += "[]";
  } while (dwarf_siblingof(&child, &child) == 0);
  return bounds.empty() ? "[]" : bounds;
}

// "(int, char)" for a function type's parameters, without a method
// pointer's artificial `this`.
std::string parameter_list(Dwarf_Die *function, int depth) {
  std::vector<std::string> parameters;
  Dwarf_Die child;
  if (dwarf_child(function, &child) == 0) {
    do {
      int tag = dwarf_tag(&child);
      Dwarf_Die memory;
      if (tag == DW_TAG_unspecified_parameters)
        parameters.push_back("...");
      else if (tag == DW_TAG_formal_parameter && !dwarf_hasattr(&child, DW_AT_artificial))
        parameters.push_back(declare(referenced_type(&child, &memory), "", depth + 1));
    } while (dwarf_siblingof(&child, &child) == 0);
  }
  if (parameters.empty() && dwarf_hasattr(function, DW_AT_prototyped))
    parameters.push_back("void");
  std::string list;
  for (const std::string &parameter : parameters)
    list += (list.empty() ? "" : ", ") + parameter;
  return "(" + list + ")";
}

std::string qualify(const char *qualifier, Dwarf_Die *inner, const std::string &declarator,
                    int depth) {
  // A qualified pointer is qualified in its declarator: "int* const".
  if (is_tag(inner, {DW_TAG_pointer_type, DW_TAG_reference_type, DW_TAG_rvalue_reference_type,
                     DW_TAG_ptr_to_member_type}))
    return declare(inner, declarator.empty() ? qualifier : prefix(qualifier, declarator), depth);
  return std::string(qualifier) + " " + declare(inner, declarator, depth);
}

std::string tagged_name(const char *keyword, Dwarf_Die *type) {
  std::string name = string_attribute(type, DW_AT_name);
  return std::string(keyword) + " " + (name.empty() ? "(anonymous)" : name);
}

// The C declaration of `type` around `declarator`, the part that is built
// inside out: "*" for a pointer, "(*)(int)" for a function pointer.
std::string declare(Dwarf_Die *type, const std::string &declarator, int depth) {
  if (!type)
    return join("void", declarator);
  if (depth > kMaxDepth)
    return join("?", declarator);
  Dwarf_Die memory;
  Dwarf_Die *inner = referenced_type(type, &memory);
  switch (dwarf_tag(type)) {
  case DW_TAG_pointer_type:
  case DW_TAG_reference_type:
  case DW_TAG_rvalue_reference_type: {
    const char *symbol = dwarf_tag(type) == DW_TAG_pointer_type     ? "*"
                         : dwarf_tag(type) == DW_TAG_reference_type ? "&"
                                                                    : "&&";
    std::string pointer = prefix(symbol, declarator);
    if (is_tag(inner, {DW_TAG_subroutine_type, DW_TAG_array_type}))
      pointer = "(" + pointer + ")";
    return declare(inner, pointer, depth + 1);
  }
  case DW_TAG_ptr_to_member_type: {
    Dwarf_Attribute attribute;
    Dwarf_Die class_memory;
    Dwarf_Die *owner =
        dwarf_formref_die(dwarf_attr(type, DW_AT_containing_type, &attribute), &class_memory);
    std::string pointer =
        prefix((owner ? string_attribute(owner, DW_AT_name) : "") + "::*", declarator);
    if (is_tag(inner, {DW_TAG_subroutine_type, DW_TAG_array_type}))
      pointer = "(" + pointer + ")";
    return declare(inner, pointer, depth + 1);
  }
  case DW_TAG_const_type:
    return qualify("const", inner, declarator, depth + 1);
  case DW_TAG_volatile_type:
    return qualify("volatile", inner, declarator, depth + 1);
  case DW_TAG_restrict_type:
    return qualify("restrict", inner, declarator, depth + 1);
  case DW_TAG_atomic_type:
    return qualify("_Atomic", inner, declarator, depth + 1);
  case DW_TAG_array_type:
    return declare(inner, declarator + array_bounds(type), depth + 1);
  case DW_TAG_subroutine_type:
    return declare(inner, declarator + parameter_list(type, depth), depth + 1);
  case DW_TAG_structure_type:
    return join(tagged_name("struct", type), declarator);
  case DW_TAG_union_type:
    return join(tagged_name("union", type), declarator);
  case DW_TAG_enumeration_type:
    return join(tagged_name("enum", type), declarator);
  case DW_TAG_class_type:
    return join(tagged_name("class", type), declarator);
  default: { // base types, typedefs, C++'s nullptr_t
    std::string name = string_attribute(type, DW_AT_name);
    return join(name.empty() ? "?" : name, declarator);
  }
  }
}

DwarfTypePtr describe(Dwarf_Die *type, std::vector<Dwarf_Off> &open_structs, int depth);

std::vector<DwarfMember> describe_members(Dwarf_Die *type, std::vector<Dwarf_Off> &open_structs,
                                          int depth) {
  std::vector<DwarfMember> members;
  Dwarf_Die child;
  if (dwarf_child(type, &child) != 0)
    return members;
  do {
    if (dwarf_tag(&child) != DW_TAG_member)
      continue;
    Dwarf_Die memory;
    DwarfMember member{string_attribute(&child, DW_AT_name),
                       describe(referenced_type(&child, &memory), open_structs, depth + 1)};
    Dwarf_Attribute attribute;
    Dwarf_Word value = 0;
    if (dwarf_formudata(dwarf_attr(&child, DW_AT_data_bit_offset, &attribute), &value) == 0)
      member.bit_position = value;
    else if (dwarf_formudata(dwarf_attr(&child, DW_AT_data_member_location, &attribute), &value) ==
             0)
      member.bit_position = value * 8;
    if (dwarf_formudata(dwarf_attr(&child, DW_AT_bit_size, &attribute), &value) == 0)
      member.bit_width = static_cast<uint32_t>(value);
    members.push_back(std::move(member));
  } while (dwarf_siblingof(&child, &child) == 0);
  return members;
}

uint64_t byte_size(Dwarf_Die *type) {
  Dwarf_Word size = 0;
  return dwarf_aggregate_size(type, &size) == 0 ? size : 0;
}

DwarfTypePtr describe(Dwarf_Die *type, std::vector<Dwarf_Off> &open_structs, int depth) {
  auto result = std::make_shared<DwarfType>();
  if (!type || depth > kMaxDepth)
    return result;
  Dwarf_Die memory;
  Dwarf_Die *inner = referenced_type(type, &memory);
  switch (dwarf_tag(type)) {
  case DW_TAG_typedef:
  case DW_TAG_const_type:
  case DW_TAG_volatile_type:
  case DW_TAG_restrict_type:
  case DW_TAG_atomic_type:
    return describe(inner, open_structs, depth + 1);
  case DW_TAG_pointer_type:
  case DW_TAG_reference_type:
  case DW_TAG_rvalue_reference_type:
    result->kind = DwarfType::Kind::Pointer;
    result->size = 8;
    // Each pointer followed costs more: the structs a few pointers away
    // are described, not the program's whole type graph.
    if (inner && dwarf_tag(inner) != DW_TAG_subroutine_type)
      result->element = describe(inner, open_structs, depth + kMaxDepth / 4);
    return result;
  case DW_TAG_array_type: {
    result->kind = DwarfType::Kind::Array;
    result->element = describe(inner, open_structs, depth + 1);
    std::string bounds = array_bounds(type);
    // One dimension is kept; `int a[2][3]` is six ints.
    result->count = 1;
    for (size_t at = 0; (at = bounds.find('[', at)) != std::string::npos; at++)
      result->count *= std::strtoull(bounds.c_str() + at + 1, nullptr, 10);
    result->size = result->count * result->element->size;
    return result;
  }
  case DW_TAG_structure_type:
  case DW_TAG_class_type:
  case DW_TAG_union_type: {
    result->kind = DwarfType::Kind::Struct;
    result->is_union = dwarf_tag(type) == DW_TAG_union_type;
    std::string name = string_attribute(type, DW_AT_name);
    if (!name.empty())
      result->name = (result->is_union ? "union " : "struct ") + name;
    result->size = byte_size(type);
    Dwarf_Off offset = dwarf_dieoffset(type);
    if (std::find(open_structs.begin(), open_structs.end(), offset) != open_structs.end())
      return result;
    open_structs.push_back(offset);
    result->members = describe_members(type, open_structs, depth);
    open_structs.pop_back();
    return result;
  }
  case DW_TAG_enumeration_type: {
    result->kind = DwarfType::Kind::Integer;
    result->size = byte_size(type);
    std::string name = string_attribute(type, DW_AT_name);
    if (!name.empty())
      result->name = "enum " + name;
    return result;
  }
  case DW_TAG_base_type: {
    result->size = byte_size(type);
    result->name = string_attribute(type, DW_AT_name);
    Dwarf_Attribute attribute;
    Dwarf_Word encoding = 0;
    dwarf_formudata(dwarf_attr(type, DW_AT_encoding, &attribute), &encoding);
    switch (encoding) {
    case DW_ATE_boolean:
      result->kind = DwarfType::Kind::Bool;
      break;
    case DW_ATE_signed:
    case DW_ATE_signed_char:
      result->kind = DwarfType::Kind::Integer;
      result->is_signed = true;
      break;
    case DW_ATE_unsigned:
    case DW_ATE_unsigned_char:
    case DW_ATE_UTF:
      result->kind = DwarfType::Kind::Integer;
      break;
    default: // floating point and the like: bytes of a known size
      result->kind = DwarfType::Kind::Other;
      break;
    }
    return result;
  }
  default:
    result->kind = DwarfType::Kind::Other;
    result->size = byte_size(type);
    return result;
  }
}

// "struct Foo" for a struct DIE named Foo, the bare name for a typedef or
// base type; empty for anything else or an anonymous one.
std::string c_name_of(Dwarf_Die *die) {
  std::string name = string_attribute(die, DW_AT_name);
  if (name.empty())
    return "";
  switch (dwarf_tag(die)) {
  case DW_TAG_structure_type:
  case DW_TAG_class_type:
    return "struct " + name;
  case DW_TAG_union_type:
    return "union " + name;
  case DW_TAG_enumeration_type:
    return "enum " + name;
  case DW_TAG_typedef:
  case DW_TAG_base_type:
    return name;
  default:
    return "";
  }
}

void index_types(DebugInfo &info) {
  info.types_indexed = true;
  Dwarf_CU *unit = nullptr;
  uint8_t unit_type = 0;
  Dwarf_Die unit_die, child;
  while (dwarf_get_units(info.dwarf, unit, &unit, nullptr, &unit_type, &unit_die, nullptr) == 0) {
    if ((unit_type != DW_UT_compile && unit_type != DW_UT_partial) ||
        dwarf_child(&unit_die, &child) != 0)
      continue;
    do {
      Dwarf_Attribute attribute;
      if (dwarf_attr(&child, DW_AT_declaration, &attribute))
        continue;
      if (std::string name = c_name_of(&child); !name.empty())
        info.types_by_name.emplace(name, dwarf_dieoffset(&child));
    } while (dwarf_siblingof(&child, &child) == 0);
  }
}

} // namespace

DwarfTypePtr dwarf_named_type(const std::string &path, const std::string &c_name) {
  DebugInfo *info = debug_info(path);
  if (!info)
    return nullptr;
  if (!info->types_indexed)
    index_types(*info);
  auto found = info->types_by_name.find(c_name);
  Dwarf_Die die;
  if (found == info->types_by_name.end() || !dwarf_offdie(info->dwarf, found->second, &die))
    return nullptr;
  std::vector<Dwarf_Off> open_structs;
  return describe(&die, open_structs, 0);
}

std::vector<DwarfParameter> dwarf_parameters(const std::string &path, const std::string &name,
                                             std::optional<uint64_t> address) {
  std::vector<DwarfParameter> parameters;
  const DebugInfo *info = debug_info(path);
  if (!info)
    return parameters;
  std::optional<Dwarf_Off> offset;
  if (auto found = address ? info->by_address.find(*address) : info->by_address.end();
      found != info->by_address.end())
    offset = found->second;
  else if (auto named = info->by_name.find(name); named != info->by_name.end())
    offset = named->second;
  Dwarf_Die function, child;
  if (!offset || !dwarf_offdie(info->dwarf, *offset, &function) ||
      dwarf_child(&function, &child) != 0)
    return parameters;
  do {
    if (dwarf_tag(&child) != DW_TAG_formal_parameter)
      continue;
    Dwarf_Die memory;
    Dwarf_Die *type = referenced_type(&child, &memory);
    std::vector<Dwarf_Off> open_structs;
    parameters.push_back(DwarfParameter{declare(type, "", 0), string_attribute(&child, DW_AT_name),
                                        describe(type, open_structs, 0)});
  } while (dwarf_siblingof(&child, &child) == 0);
  return parameters;
}

} // namespace sonde::system
