// `uprobe:<binary>:<function>[+<offset>]`, `uprobe:<binary>:<0xaddress>`,
// `uprobe:<binary>@<file>:<line>[:<column>]` (a statement, from the debug
// info's line table) and their `uretprobe` twins: user-space functions of an executable or a
// shared library. The binary is a path, a program on $PATH or a library
// short name (`libc`); the function may be a wildcard or a quoted mangled
// C++ name. The context is the thread's struct pt_regs.

#include "common/literals.h"
#include "common/uprobe_location.h"
#include "runtime/probes/provider.h"
#include "runtime/probes/uprobe_attach.h"
#include "runtime/probes/wildcard.h"
#include "system/binary_path.h"
#include "system/dwarf_arguments.h"
#include "system/dwarf_lines.h"
#include "system/elf_symbols.h"

#include <charconv>

namespace sonde::probes {

namespace {

bool parse_number(std::string_view text, uint64_t &value) {
  auto parsed = parse_address(text);
  if (parsed)
    value = *parsed;
  return parsed.has_value();
}

class UprobeProvider : public Provider {
public:
  UprobeProvider(std::string_view name, bool retprobe) : name_(name), retprobe_(retprobe) {}

  std::string_view name() const override { return name_; }
  bool runs_last_attached_first() const override { return true; }

  Expected<AttachPointSpec> canonicalize(AttachPointSpec spec) const override {
    if (!retprobe_ && !spec.fields.empty() && spec.fields[0].find('@') != std::string::npos)
      return source_location(std::move(spec));
    // `BINARY:FILE:LINE` too: no function field has a third part.
    uint64_t line = 0;
    if (!retprobe_ && spec.fields.size() == 3 && parse_number(spec.fields[2], line))
      return source_location(
          AttachPointSpec{spec.provider, {spec.fields[0] + "@" + spec.fields[1], spec.fields[2]}});
    if (spec.fields.size() != 2 || spec.fields[0].empty() || spec.fields[1].empty())
      return error(std::string(name_) + " probes need a binary and a function: " +
                   std::string(name_) + ":<binary>:<function>");
    auto location = parse_uprobe_location(spec.fields[1]);
    if (!location)
      return error(location.error());
    if (retprobe_ && !location->is_address && location->offset != 0)
      return error(std::string(name_) + " probes attach to a function's return; " +
                   "they take no offset");
    if (has_wildcard(spec.fields[1]) && (location->is_address || location->offset != 0))
      return error("a wildcard function cannot take an offset: '" + spec.fields[1] + "'");
    if (!has_wildcard(spec.fields[0])) {
      auto path = system::resolve_binary(spec.fields[0]);
      if (!path)
        return error(std::string(name_) + " target " + path.error());
      spec.fields[0] = *path;
    }
    return spec;
  }

  // `BINARY@FILE:LINE[:COLUMN]` becomes the address of that statement.
  Expected<AttachPointSpec> source_location(AttachPointSpec spec) const {
    size_t at = spec.fields[0].find('@');
    std::string file = spec.fields[0].substr(at + 1);
    uint64_t line = 0, column = 0;
    if (file.empty() || (spec.fields.size() != 2 && spec.fields.size() != 3) ||
        !parse_number(spec.fields[1], line) ||
        (spec.fields.size() == 3 && !parse_number(spec.fields[2], column)))
      return error(std::string(name_) + " probes at a source line are written " +
                   std::string(name_) + ":<binary>@<file>:<line>[:<column>]");
    auto path = system::resolve_binary(spec.fields[0].substr(0, at));
    if (!path)
      return error(std::string(name_) + " target " + path.error());
    auto address = system::source_line_address(*path, file, line, column);
    if (!address)
      return error(address.error());
    return AttachPointSpec{spec.provider, {*path, hex(*address)}};
  }

  Expected<std::vector<AttachPointSpec>> expand(const AttachPointSpec &spec) const override {
    auto paths = system::match_binaries(spec.fields[0]);
    if (!paths)
      return error(paths.error());
    std::vector<AttachPointSpec> matches;
    for (const std::string &path : *paths) {
      if (!has_wildcard(spec.fields[1])) {
        // A wildcard path stands for the binaries that have the function.
        auto site = resolve(path, spec.fields[1]);
        if (site)
          matches.push_back(AttachPointSpec{spec.provider, {path, spec.fields[1]}});
        else if (!has_wildcard(spec.fields[0]))
          return error(site.error());
        continue;
      }
      auto symbols = system::ElfSymbols::read(path);
      if (!symbols) {
        if (has_wildcard(spec.fields[0]))
          continue; // not an ELF file
        return error(symbols.error());
      }
      for (const system::ElfSymbol *symbol : (*symbols)->functions())
        if (wildcard_match(spec.fields[1], symbol->name))
          matches.push_back(AttachPointSpec{spec.provider, {path, symbol->name}});
    }
    return matches;
  }

  std::vector<AttachPointSpec> list(const std::vector<std::string> &pattern) const override {
    if (pattern.empty() || pattern[0].empty())
      return {};
    auto canonical = canonicalize(
        AttachPointSpec{std::string(name_), {pattern[0], pattern.size() > 1 ? pattern[1] : "*"}});
    if (!canonical)
      return {};
    auto paths = system::match_binaries(canonical->fields[0]);
    if (!paths)
      return {};
    std::vector<AttachPointSpec> listed;
    for (const std::string &path : *paths) {
      auto symbols = system::ElfSymbols::read(path);
      if (!symbols)
        continue;
      for (const system::ElfSymbol *symbol : (*symbols)->functions())
        if (pattern.size() < 2 || wildcard_match(pattern[1], symbol->name))
          listed.push_back(AttachPointSpec{std::string(name_), {path, symbol->name}});
    }
    return listed;
  }

  // The function's parameters as its debug info declares them ("    const
  // char* s"); none without debug info. Like bpftrace, a uretprobe shows
  // none: its program sees the return value only.
  std::vector<std::string> describe(const AttachPointSpec &spec) const override {
    std::vector<std::string> lines;
    auto location = parse_uprobe_location(spec.fields.at(1));
    if (retprobe_ || !location || location->is_address || location->offset != 0)
      return lines;
    const std::string &path = spec.fields.at(0);
    std::optional<uint64_t> address;
    if (auto symbols = system::ElfSymbols::read(path))
      if (const system::ElfSymbol *symbol = (*symbols)->function(location->symbol))
        address = symbol->address;
    for (const system::DwarfParameter &parameter :
         system::dwarf_parameters(path, location->symbol, address))
      lines.push_back("    " + parameter.type +
                      (parameter.name.empty() ? "" : " " + parameter.name));
    return lines;
  }

  // A function of unknown size: the entry is found, but bpftrace refuses
  // it, as an offset cannot be checked against the function's bounds.
  std::string unsafe_attach(const AttachPointSpec &spec) const override {
    auto location = parse_uprobe_location(spec.fields.at(1));
    if (!location || location->is_address)
      return "";
    auto symbols = system::ElfSymbols::read(spec.fields.at(0));
    if (!symbols)
      return "";
    const system::ElfSymbol *symbol = (*symbols)->function(location->symbol);
    if (!symbol || symbol->size != 0)
      return "";
    return "Could not determine boundary for " + location->symbol + " (symbol has size 0).";
  }

  bpf_prog_type program_type(const ProgramInfo &) const override { return BPF_PROG_TYPE_KPROBE; }

  Status prepare(bpf_program *program, const ProgramInfo &) const override {
    return prepare_uprobe_program(program);
  }

  Expected<size_t> attach(bpf_program *program, const ProgramInfo &info,
                          const AttachOptions &options, std::vector<Link> &links) const override {
    UprobeSitesByPath sites;
    for (size_t i = 0; i < info.targets.size(); i++) {
      const AttachTarget &target = info.targets[i];
      auto offset = resolve(target.fields.at(0), target.fields.at(1));
      if (!offset)
        return error("cannot attach " + target.spec + ": " + offset.error());
      sites[target.fields[0]].push_back(
          UprobeSite{*offset, 0, target.cookie, i, target.spec, target.fields[1]});
    }
    return attach_uprobe_sites(program, sites, info.targets.size(), retprobe_, options, links);
  }

private:
  // The file offset a function field stands for in the binary at `path`.
  Expected<uint64_t> resolve(const std::string &path, const std::string &field) const {
    auto location = parse_uprobe_location(field);
    if (!location)
      return error(location.error());
    auto symbols = system::ElfSymbols::read(path);
    if (!symbols)
      return error(symbols.error());
    uint64_t address = location->offset;
    if (!location->is_address) {
      const system::ElfSymbol *symbol = (*symbols)->function(location->symbol);
      if (!symbol)
        return error("Could not resolve symbol: " + path + ":" + location->symbol);
      if (symbol->size && location->offset >= symbol->size)
        return error("Offset outside the function bounds ('" + location->symbol + "' size is " +
                     std::to_string(symbol->size) + ")");
      address = symbol->address + location->offset;
    }
    auto offset = (*symbols)->code_offset(address);
    if (!offset)
      return error("Could not resolve address: " + path + ":" + hex(address) +
                   " (not in the executable code)");
    return *offset;
  }

  static std::string hex(uint64_t value) {
    char text[16];
    auto [end, ec] = std::to_chars(text, text + sizeof(text), value, 16);
    return "0x" + std::string(text, end);
  }

  std::string_view name_;
  bool retprobe_;
};

} // namespace

const Provider &uprobe_provider() {
  static const UprobeProvider provider("uprobe", false);
  return provider;
}

const Provider &uretprobe_provider() {
  static const UprobeProvider provider("uretprobe", true);
  return provider;
}

} // namespace sonde::probes
