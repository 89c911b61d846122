#include "runner/run_artifact.h"

#include "artifact/artifact.h"
#include "cli/trace.h"
#include "system/elf_file.h"
#include "system/elf_symbols.h"
#include "system/kallsyms.h"
#include "system/tracefs.h"

#include <iostream>

namespace sonde::runner {

namespace {

std::string join(const std::vector<std::string> &words) {
  std::string out;
  for (const auto &w : words)
    out += (out.empty() ? "" : " ") + w;
  return out;
}

// The compile-time options given anyway, by their spelling.
std::string compile_time_option(const cli::Options &o) {
  if (!o.program_text.empty())
    return "-e";
  if (o.helper_errors)
    return "-k";
  if (!o.include_dirs.empty())
    return "-I";
  if (!o.includes.empty())
    return "--include";
  if (o.probe_filter)
    return "--probe-filter";
  if (o.mode != RunMode::Trace)
    return "--mode";
  if (!o.traceable_functions_path.empty())
    return "--traceable-functions";
  if (o.emit != cli::Emit::None)
    return "--emit";
  if (!o.emit_llvm_path.empty())
    return "--emit-llvm";
  if (!o.aot_path.empty())
    return "--aot";
  if (o.verify)
    return "--verify";
  if (o.list)
    return "-l";
  return "";
}

// Parameters were substituted when compiling: the same ones (or none) are
// accepted, others refused.
Status check_params(const artifact::Artifact &a, const cli::Options &o, const std::string &path) {
  std::vector<std::string> positional, named;
  for (const auto &p : o.params)
    (p.rfind("--", 0) == 0 ? named : positional).push_back(p);
  auto check = [&](const char *kind, const std::vector<std::string> &given,
                   const std::vector<std::string> &fixed) -> Status {
    if (given.empty() || given == fixed)
      return {};
    return error(path + " was compiled with the " + kind + " parameters " +
                 (fixed.empty() ? "none" : "'" + join(fixed) + "'") + ", not '" + join(given) +
                 "': compile the script again with sonde --aot to change them");
  };
  if (Status status = check("positional", positional, a.params); !status)
    return status;
  return check("named", named, a.named_params);
}

// kaddr() and uaddr() addresses are constants in the object.
Status check_symbols(const artifact::Artifact &a, const std::string &path) {
  for (const auto &s : a.symbols) {
    std::optional<uint64_t> here;
    if (s.binary.empty()) {
      here = system::Kallsyms::get().address_of(s.symbol);
    } else if (auto symbols = system::ElfSymbols::read(s.binary)) {
      const system::ElfSymbol *found = (*symbols)->function(s.symbol);
      if (!found)
        found = (*symbols)->object(s.symbol);
      if (found)
        here = found->address;
    }
    std::string what =
        s.binary.empty() ? "kernel symbol " + s.symbol : "symbol " + s.symbol + " of " + s.binary;
    if (!here)
      return error(path + " needs the " + what + ", which this host does not have");
    if (*here != s.address)
      return error(path + " was compiled with the " + what +
                   " at another address than on this host: compile the script again here");
  }
  return {};
}

Status check_tracepoint_fields(const artifact::Artifact &a) {
  for (const auto &use : a.tracepoint_fields) {
    auto format = system::tracefs::format(use.category, use.event);
    std::string tracepoint = "tracepoint:" + use.category + ":" + use.event;
    if (!format)
      return error(use.where + ": " + tracepoint + " does not exist on this kernel");
    const system::TracepointField *found = nullptr;
    for (const auto &field : format->fields)
      if (field.name == use.field)
        found = &field;
    if (!found)
      return error(use.where + ": " + tracepoint + " has no field '" + use.field +
                   "' on this kernel");
    if (found->offset != use.offset || (use.size && found->size != use.size))
      return error(use.where + ": " + tracepoint + "'s field '" + use.field + "' is at offset " +
                   std::to_string(found->offset) + " (" + std::to_string(found->size) +
                   " bytes) on this kernel, at " + std::to_string(use.offset) + " (" +
                   std::to_string(use.size) +
                   " bytes) where the script was compiled: compile it again for this kernel");
  }
  return {};
}

// USDT sites and argument locations are those of the compiling host's binary.
Status check_usdt_binaries(const artifact::Artifact &a, const std::string &path) {
  for (const auto &binary : a.usdt_binaries) {
    auto elf = system::ElfFile::open(binary.path);
    if (!elf)
      return error(path + " traces usdt probes of " + binary.path + ": " + elf.error());
    if (!binary.build_id.empty() && elf->build_id() != binary.build_id)
      return error(path + " was compiled for another build of " + binary.path + " (build id " +
                   binary.build_id + ", here " +
                   (elf->build_id().empty() ? "none" : elf->build_id()) +
                   "): its usdt sites may differ; compile the script again for this one");
  }
  return {};
}

} // namespace

int run_artifact(const cli::Options &o) {
  const std::string &path = o.script_path;
  if (std::string option = compile_time_option(o); !option.empty()) {
    std::cerr << cli::error_label() << option
              << " is fixed when compiling: give it to sonde --aot, " << path
              << " is already compiled\n";
    return 1;
  }
  auto artifact = artifact::read_file(path);
  if (!artifact) {
    std::cerr << cli::error_label() << artifact.error() << "\n";
    return 1;
  }
  for (Status status : {check_params(*artifact, o, path), check_symbols(*artifact, path),
                        check_tracepoint_fields(*artifact), check_usdt_binaries(*artifact, path)})
    if (!status) {
      std::cerr << cli::error_label() << status.error() << "\n";
      return 1;
    }
  return cli::trace(artifact->script, artifact->settings, o, artifact->source);
}

} // namespace sonde::runner
