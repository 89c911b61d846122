#include "cli/aot.h"

#include "artifact/artifact.h"
#include "cli/color.h"
#include "cli/run_settings.h"
#include "cli/trace.h"
#include "common/probe_kind.h"

#include "ast/visitor.h"
#include "system/elf_file.h"

#include <iostream>
#include <set>

namespace sonde::cli {

namespace {

constexpr const char *kTracepointRecordPrefix = "struct _tracepoint_";

types::TypePtr accessed_struct(const ast::FieldAccess &node) {
  types::TypePtr base = node.base->type;
  if (!base)
    return nullptr;
  if (node.arrow) {
    if (base->kind != types::Kind::Pointer || base->user_space || !base->element)
      return nullptr;
    base = base->element;
  }
  return base->kind == types::Kind::Struct ? base : nullptr;
}

bool is_tracepoint_record(const types::Type &type) {
  return type.name.rfind(kTracepointRecordPrefix, 0) == 0;
}

// The struct fields a probe reads: tracepoint record fields, which the runner
// checks; fields of the script's own C definitions, at the offsets the script
// gives; and kernel struct fields, which codegen reads through CO-RE
// relocations (codegen/memory_access.cpp) except bitfields and fields of an
// anonymous struct that is not embedded in a named one.
class FieldReads : public ast::Visitor {
public:
  FieldReads(const sema::ProbeInfo &probe, sema::TypeLookup &types, Diagnostics &diags)
      : probe_(probe), types_(types), diags_(diags) {}

  std::vector<std::pair<std::string, ast::Location>> tracepoint_fields;

  void visit(ast::FieldAccess &node) override {
    ast::Visitor::visit(node);
    auto type = accessed_struct(node);
    if (!type)
      return;
    if (is_tracepoint_record(*type)) {
      tracepoint_fields.emplace_back(node.field, node.loc);
      return;
    }
    if (layout(node) == Layout::ThisKernel)
      refuse(node.loc, "the offset of " +
                           (type->name.empty() ? "an anonymous struct" : type->name) +
                           "'s field '" + node.field + "'");
  }

  // Pointer steps and indexes multiply by the element's size.
  void visit(ast::Binary &node) override {
    ast::Visitor::visit(node);
    if (node.op != ast::BinaryOp::Add && node.op != ast::BinaryOp::Sub)
      return;
    for (const auto *operand : {node.lhs.get(), node.rhs.get()})
      if (auto stepped = kernel_struct_element(operand->type))
        refuse(node.loc, "the size of " + stepped->name);
  }

  void visit(ast::Index &node) override {
    ast::Visitor::visit(node);
    if (auto stepped = kernel_struct_element(node.base->type))
      refuse(node.loc, "the size of " + stepped->name);
  }

  void visit(ast::Call &node) override {
    ast::Visitor::visit(node);
    bool measures = node.name == "sizeof" || node.name == "offsetof";
    if (measures && !node.args.empty() && node.args[0]->type &&
        node.args[0]->type->kind == types::Kind::Struct &&
        !is_tracepoint_record(*node.args[0]->type) &&
        !types_.defined_by_script(node.args[0]->type->name))
      refuse(node.loc, "the layout of " + node.args[0]->type->name);
    // Where bpf_d_path is not allowed, path() walks dentries and mounts.
    if (node.name == "path" && probe_.kind->context != ProbeContext::BtfArguments)
      refuse(node.loc, "path()'s walk of struct dentry and struct mount");
  }

private:
  // The kernel struct a pointer into kernel memory, or an array, steps over.
  types::TypePtr kernel_struct_element(const types::TypePtr &type) {
    if (!type || !type->element || (type->kind == types::Kind::Pointer && type->user_space))
      return nullptr;
    if (type->kind != types::Kind::Pointer && type->kind != types::Kind::Array)
      return nullptr;
    auto element = types_.resolve(type->element);
    if (element->kind != types::Kind::Struct || is_tracepoint_record(*element) ||
        (!element->name.empty() && types_.defined_by_script(element->name)))
      return nullptr;
    return element;
  }

  enum class Layout { Relocated, Script, ThisKernel };

  // Whose offset codegen reads this kernel struct field at.
  Layout layout(const ast::FieldAccess &node) {
    auto record = types_.resolve(accessed_struct(node));
    if (!record->name.empty() && types_.defined_by_script(record->name))
      return Layout::Script;
    for (const auto &field : record->fields)
      if (field.name == node.field && field.bit_width)
        return Layout::ThisKernel;
    if (!record->name.empty())
      return Layout::Relocated;
    auto *outer = dynamic_cast<const ast::FieldAccess *>(node.base.get());
    if (node.arrow || !outer || !accessed_struct(*outer))
      return Layout::ThisKernel;
    return layout(*outer);
  }

  void refuse(const ast::Location &loc, const std::string &what) {
    diags_.error(loc,
                 "--aot cannot carry " + what + " to other kernels (no CO-RE relocation for it)",
                 "run this script with sonde on each host");
  }

  const sema::ProbeInfo &probe_;
  sema::TypeLookup &types_;
  Diagnostics &diags_;
};

} // namespace

RunSettings run_settings(const sema::Config &config) {
  RunSettings settings;
  switch (config.stack_mode) {
  case sema::StackMode::Perf:
    settings.stack_mode = output::StackMode::Perf;
    break;
  case sema::StackMode::Raw:
    settings.stack_mode = output::StackMode::Raw;
    break;
  case sema::StackMode::Bpftrace:
    settings.stack_mode = output::StackMode::Bpftrace;
    break;
  case sema::StackMode::BuildId:
    settings.stack_mode = output::StackMode::BuildId;
    break;
  }
  settings.print_maps_on_exit = config.print_maps_on_exit;
  settings.str_trunc_trailer = config.str_trunc_trailer;
  settings.cpp_demangle = config.cpp_demangle;
  settings.lazy_symbolication = config.lazy_symbolication;
  settings.show_debug_info = config.show_debug_info;
  settings.max_cat_bytes = config.max_cat_bytes;
  return settings;
}

int write_artifact(const CompiledScript &script, sema::TypedProgram &typed, const Options &o,
                   Diagnostics &diags) {
  artifact::Artifact out;
  for (const auto &probe : typed.probes) {
    FieldReads reads(probe, typed.types, diags);
    probe.probe->accept(reads);
    for (const auto &instance : probe.instances) {
      if (!instance.args)
        continue;
      for (const auto &[name, loc] : reads.tracepoint_fields)
        for (const auto &field : instance.args->fields)
          if (field.name == name)
            for (const auto &target : instance.targets)
              out.tracepoint_fields.push_back(
                  {target.fields.at(0), target.fields.at(1), name, field.offset,
                   field.data_loc ? sizeof(uint32_t) : field.type->size,
                   diags.source().name + ":" + std::to_string(loc.begin_line)});
    }
  }
  if (diags.has_errors()) {
    diags.render(std::cerr, stderr_color());
    return 1;
  }
  std::set<std::string> usdt_paths;
  for (const auto &program : script.programs)
    for (const auto &target : program.targets)
      if (find_probe_kind(program.provider)->arguments == ArgumentSource::UsdtOperands &&
          !target.fields.empty())
        usdt_paths.insert(target.fields[0]);
  for (const auto &path : usdt_paths) {
    auto elf = system::ElfFile::open(path);
    out.usdt_binaries.push_back({path, elf ? elf->build_id() : ""});
  }
  out.compiled_by = std::string("sonde ") + SONDE_VERSION;
  out.source = diags.source();
  out.script = script;
  out.settings = run_settings(typed.config);
  out.params = typed.params;
  out.named_params = typed.named_params;
  for (const auto &[key, info] : typed.symbols)
    out.symbols.push_back({key.second, key.first, info.address});
  if (Status written = artifact::write_file(o.aot_path, out); !written) {
    std::cerr << error_label() << written.error() << "\n";
    return 1;
  }
  return 0;
}

} // namespace sonde::cli
