#include "sema/type_lookup.h"

#include "ast/ast.h"
#include "types/btf_types.h"
#include "types/c_definitions.h"
#include "types/kernel_macros.h"
#include "types/struct_layout.h"

namespace sonde::sema {

TypeLookup::TypeLookup() = default;
TypeLookup::~TypeLookup() = default;
TypeLookup::TypeLookup(TypeLookup &&) noexcept = default;
TypeLookup &TypeLookup::operator=(TypeLookup &&) noexcept = default;

void TypeLookup::load_script_definitions(const ast::Program &program,
                                         const CIncludeOptions &options, Diagnostics &diags) {
  if (program.c_definitions.empty() && options.forced_includes.empty())
    return;
  std::vector<types::CSource> sources;
  for (const auto &def : program.c_definitions)
    sources.push_back({def->text, def->loc.begin_line, def->loc.begin_col,
                       def->loc.source == 0 ? "" : diags.source(def->loc.source).name});
  types::CParseOptions parse_options;
  parse_options.file_name = diags.source().name;
  parse_options.include_dirs = options.include_dirs;
  parse_options.forced_includes = options.forced_includes;
  for (const auto &file : program.bpf_c_files)
    parse_options.function_files.push_back(file.path);
  auto &kernel = types::KernelTypes::get();
  if (kernel.available())
    parse_options.kernel = &kernel;
  auto result = types::parse_c_definitions(sources, parse_options);
  auto locate = [&](const types::CDiagnostic &d) {
    ast::Location loc;
    loc.source = std::max(diags.find_source(d.file), 0);
    loc.begin_line = loc.end_line = std::max(d.line, 1);
    loc.begin_col = std::max(d.column, 1);
    loc.end_col = loc.begin_col + 1;
    return loc;
  };
  for (const auto &e : result.errors)
    diags.error(locate(e), diags.find_source(e.file) >= 0 || e.file.empty()
                               ? e.message
                               : e.file + ": " + e.message);
  for (const auto &w : result.warnings)
    diags.warning(locate(w), w.message);
  script_ = std::make_unique<types::CTypes>(std::move(result.types));
}

types::TypePtr TypeLookup::find(const std::string &c_name) {
  if (script_)
    if (auto t = script_->find_type(c_name))
      return t;
  auto &kernel = types::KernelTypes::get();
  return kernel.available() ? kernel.find_type(c_name) : nullptr;
}

bool TypeLookup::defined_by_script(const std::string &c_name) {
  return script_ && script_->find_type(c_name);
}

types::TypePtr TypeLookup::resolve(const types::TypePtr &type) {
  if (!type || !types::is_unresolved_struct(*type))
    return type;
  if (script_) {
    auto t = script_->resolve(type);
    if (!types::is_unresolved_struct(*t))
      return t;
  }
  auto &kernel = types::KernelTypes::get();
  return kernel.available() ? kernel.resolve(type) : type;
}

std::optional<int64_t> TypeLookup::constant(const std::string &name) {
  if (script_)
    if (auto v = script_->constant(name))
      return v;
  auto &kernel = types::KernelTypes::get();
  if (kernel.available())
    if (auto value = kernel.enum_value(name))
      return value;
  return types::kernel_macro(name);
}

types::TypePtr TypeLookup::constant_type(const std::string &name) {
  if (script_ && script_->constant(name))
    return script_->enumeration(name);
  auto &kernel = types::KernelTypes::get();
  return kernel.available() ? kernel.enumeration(name) : nullptr;
}

std::optional<CFunction> TypeLookup::function(const std::string &name) {
  if (!script_)
    return std::nullopt;
  auto found = script_->function(name);
  if (!found)
    return std::nullopt;
  return CFunction{found->result, found->params};
}

} // namespace sonde::sema
