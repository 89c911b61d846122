#include "runtime/probes/listing.h"

#include "runtime/probes/provider.h"
#include "runtime/probes/type_listing.h"
#include "runtime/probes/wildcard.h"
#include "system/process_maps.h"

#include <algorithm>
#include <set>

namespace sonde::probes {

namespace {

ListedProbe listed(const Provider &provider, const AttachPointSpec &spec, bool verbose) {
  ListedProbe probe{spec.text(), {}};
  if (verbose)
    probe.details = provider.describe(spec);
  return probe;
}

// The files a process maps code from, in address order, each once. A file
// deleted since it was mapped has no path to probe it by.
std::vector<std::string> mapped_files(pid_t pid) {
  std::vector<std::string> files;
  for (const system::CodeMapping &mapping : system::code_mappings(system::read_process_maps(pid)))
    if (!mapping.deleted && std::find(files.begin(), files.end(), mapping.path) == files.end())
      files.push_back(mapping.path);
  return files;
}

bool per_process(const Provider &provider) {
  return provider.kind().address_space == AddressSpace::User;
}

// A uprobe or usdt pattern's probes in the mapped files whose path matches
// its binary field, which the files' /proc/PID/root/ paths replace.
std::vector<AttachPointSpec> list_in_process(const Provider &provider,
                                             const std::vector<std::string> &fields, pid_t pid,
                                             const std::vector<std::string> &files) {
  std::string binary = fields.empty() ? "*" : fields[0];
  std::string root = "/proc/" + std::to_string(pid) + "/root";
  std::vector<AttachPointSpec> probes;
  for (const std::string &file : files) {
    if (!wildcard_match(binary, file) && !wildcard_match(binary, root + file))
      continue;
    std::vector<std::string> pattern = fields.empty() ? std::vector<std::string>{""} : fields;
    pattern[0] = root + file;
    for (AttachPointSpec &spec : provider.list(pattern))
      probes.push_back(std::move(spec));
  }
  return probes;
}

} // namespace

std::vector<std::string> process_binaries(pid_t pid) {
  std::vector<std::string> binaries;
  for (const std::string &file : mapped_files(pid))
    binaries.push_back("/proc/" + std::to_string(pid) + "/root" + file);
  return binaries;
}

std::vector<ListedProbe> list_probes(std::string_view pattern, bool verbose,
                                     std::optional<pid_t> pid) {
  if (is_type_pattern(pattern))
    return list_types(pattern, verbose);
  std::vector<ListedProbe> probes;
  std::vector<std::string> files = pid ? mapped_files(*pid) : std::vector<std::string>{};
  auto list_from = [&](const Provider &provider, const std::vector<std::string> &fields) {
    bool in_process = pid && per_process(provider) && (fields.empty() || has_wildcard(fields[0]));
    return in_process ? list_in_process(provider, fields, *pid, files) : provider.list(fields);
  };
  if (auto spec = parse_attach_point(pattern)) {
    const Provider &provider = *find_provider(spec->provider);
    for (const AttachPointSpec &match : list_from(provider, spec->fields))
      probes.push_back(listed(provider, match, verbose));
    return probes;
  }
  // `*:FILE:*`, `u*:FILE:*`: the kinds the first field matches, each asked
  // for what its second field names (a binary, a category), then filtered by
  // the whole pattern (return probes only when named, as bpftrace lists them).
  size_t colon = pattern.find(':');
  if (colon != std::string_view::npos && has_wildcard(pattern.substr(0, colon))) {
    std::string kinds(pattern.substr(0, colon));
    std::vector<std::string> rest = split_fields(pattern.substr(colon + 1));
    for (const Provider *provider : all_providers()) {
      if (provider->kind().has_retval || !wildcard_match(kinds, provider->name()))
        continue;
      std::vector<AttachPointSpec> matches = list_from(*provider, rest);
      if (rest.size() > 1)
        for (AttachPointSpec &match : list_from(*provider, {rest.front()}))
          matches.push_back(std::move(match));
      std::set<std::string> seen;
      for (const AttachPointSpec &match : matches)
        if (wildcard_match(pattern, match.text()) && seen.insert(match.text()).second)
          probes.push_back(listed(*provider, match, verbose));
    }
    return probes;
  }
  for (const Provider *provider : all_providers()) {
    // bpftrace lists a process's uretprobes only when asked for them.
    if (pid && provider->name() != "uprobe" && provider->name() != "usdt")
      continue;
    auto matches = pid ? list_in_process(*provider, {}, *pid, files) : provider->list({});
    for (const AttachPointSpec &match : matches)
      if (pattern.empty() || wildcard_match(pattern, match.text()))
        probes.push_back(listed(*provider, match, verbose));
  }
  return probes;
}

} // namespace sonde::probes
