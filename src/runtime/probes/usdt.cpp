// `usdt:<binary>:<provider>:<name>` and `usdt:<binary>:<name>`: statically
// defined probes of a program or library (SystemTap SDT notes), attached as
// uprobes at each probe site, with their semaphores counted up while
// attached. The context is the thread's struct pt_regs; usdt.h describes
// where each site keeps its arguments.

#include "runtime/probes/usdt.h"
#include "runtime/probes/provider.h"
#include "runtime/probes/uprobe_attach.h"
#include "runtime/probes/wildcard.h"
#include "system/binary_path.h"

namespace sonde::probes {

namespace {

std::string type_name(const UsdtArgument &argument) {
  return (argument.is_signed ? "int" : "uint") + std::to_string(argument.size * 8);
}

class UsdtProvider : public Provider {
public:
  std::string_view name() const override { return "usdt"; }
  bool runs_last_attached_first() const override { return true; }

  Expected<AttachPointSpec> canonicalize(AttachPointSpec spec) const override {
    bool valid = (spec.fields.size() == 2 || spec.fields.size() == 3) &&
                 !spec.fields.front().empty() && !spec.fields.back().empty();
    // `usdt:<binary>::<name>`: any provider.
    if (spec.fields.size() == 3 && spec.fields[1].empty())
      spec.fields[1] = "*";
    if (!valid)
      return error("usdt probes need a binary and a probe name: "
                   "usdt:<binary>:[<provider>:]<name>");
    if (spec.fields.size() == 2)
      spec.fields.insert(spec.fields.begin() + 1, "*");
    if (!has_wildcard(spec.fields[0])) {
      auto path = system::resolve_binary(spec.fields[0]);
      if (!path)
        return error("usdt target " + path.error());
      spec.fields[0] = *path;
    }
    return spec;
  }

  Expected<std::vector<AttachPointSpec>> expand(const AttachPointSpec &spec) const override {
    auto paths = system::match_binaries(spec.fields[0]);
    if (!paths)
      return error(paths.error());
    std::vector<AttachPointSpec> matches;
    for (const std::string &path : *paths) {
      auto probes = usdt_probes(path);
      if (!probes) {
        if (has_wildcard(spec.fields[0]))
          continue;
        return error(probes.error());
      }
      for (const UsdtProbe &probe : *probes)
        if (wildcard_match(spec.fields[1], probe.provider) &&
            wildcard_match(spec.fields[2], probe.name))
          matches.push_back(AttachPointSpec{"usdt", {path, probe.provider, probe.name}});
    }
    bool exact = !has_wildcard(spec.fields[0]) && !has_wildcard(spec.fields[1]) &&
                 !has_wildcard(spec.fields[2]);
    if (matches.empty() && exact)
      return error("no usdt probe " + spec.fields[1] + ":" + spec.fields[2] + " in " +
                   spec.fields[0]);
    return matches;
  }

  std::vector<AttachPointSpec> list(const std::vector<std::string> &pattern) const override {
    if (pattern.empty() || pattern[0].empty())
      return {};
    std::vector<std::string> fields = pattern;
    if (fields.size() == 1)
      fields.push_back("*");
    auto canonical = canonicalize(AttachPointSpec{"usdt", fields});
    if (!canonical)
      return {};
    auto listed = expand(*canonical);
    return listed ? *listed : std::vector<AttachPointSpec>{};
  }

  // The arguments of the probe's first site: "    int64 arg0".
  std::vector<std::string> describe(const AttachPointSpec &spec) const override {
    std::vector<std::string> lines;
    auto probe = usdt_probe(spec.fields.at(0), spec.fields.at(1), spec.fields.at(2));
    if (!probe || probe->locations.empty())
      return lines;
    const std::vector<UsdtArgument> &arguments = probe->locations.front().arguments;
    for (size_t i = 0; i < arguments.size(); i++)
      lines.push_back("    " + type_name(arguments[i]) + " arg" + std::to_string(i));
    return lines;
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
      auto probe = usdt_probe(target.fields.at(0), target.fields.at(1), target.fields.at(2));
      if (!probe)
        return error("cannot attach " + target.spec + ": " + probe.error());
      auto chosen = chosen_sites(target, probe->locations.size());
      if (!chosen)
        return error("cannot attach " + target.spec + ": " + chosen.error());
      for (size_t site : *chosen) {
        const UsdtLocation &location = probe->locations[site];
        sites[probe->path].push_back(UprobeSite{location.file_offset, location.semaphore_offset,
                                                target.cookie, i, target.spec,
                                                probe->provider + ":" + probe->name});
      }
    }
    return attach_uprobe_sites(program, sites, info.targets.size(), false, options, links);
  }

private:
  // The sites a target names in its fourth field, else all of them.
  static Expected<std::vector<size_t>> chosen_sites(const AttachTarget &target, size_t site_count) {
    if (target.fields.size() > 3)
      return parse_usdt_sites_field(target.fields[3], site_count);
    std::vector<size_t> all;
    for (size_t site = 0; site < site_count; site++)
      all.push_back(site);
    return all;
  }
};

} // namespace

const Provider &usdt_provider() {
  static const UsdtProvider provider;
  return provider;
}

} // namespace sonde::probes
