// USDT probes: a binary's notes grouped by provider and name, with their
// arguments parsed.

#include "runtime/probes/usdt.h"
#include "system/usdt_notes.h"

#include <algorithm>
#include <map>

namespace sonde::probes {

namespace {

Expected<std::vector<UsdtProbe>> read_probes(const std::string &path) {
  auto notes = system::usdt_notes(path);
  if (!notes)
    return error(notes.error());
  std::map<std::pair<std::string, std::string>, UsdtProbe> probes;
  for (const system::UsdtNote &note : *notes) {
    UsdtLocation location{note.address, note.file_offset, note.semaphore_offset, {}};
    auto arguments = parse_usdt_arguments(note.arguments);
    if (!arguments)
      return error(path + ": usdt probe " + note.provider + ":" + note.name + ": " +
                   arguments.error());
    location.arguments = std::move(*arguments);
    UsdtProbe &probe = probes[{note.provider, note.name}];
    probe.path = path;
    probe.provider = note.provider;
    probe.name = note.name;
    probe.locations.push_back(std::move(location));
  }
  std::vector<UsdtProbe> sorted;
  for (auto &[key, probe] : probes)
    sorted.push_back(std::move(probe));
  return sorted;
}

} // namespace

Expected<std::vector<UsdtProbe>> usdt_probes(const std::string &path) {
  static std::map<std::string, Expected<std::vector<UsdtProbe>>> cache;
  auto found = cache.find(path);
  if (found == cache.end())
    found = cache.emplace(path, read_probes(path)).first;
  return found->second;
}

Expected<UsdtProbe> usdt_probe(const std::string &path, const std::string &provider,
                               const std::string &name) {
  auto probes = usdt_probes(path);
  if (!probes)
    return error(probes.error());
  for (const UsdtProbe &probe : *probes)
    if (probe.provider == provider && probe.name == name)
      return probe;
  return error("no usdt probe " + provider + ":" + name + " in " + path);
}

Expected<std::vector<UsdtArgumentLayout>> usdt_argument_layouts(const std::string &path,
                                                                const std::string &provider,
                                                                const std::string &name) {
  auto probe = usdt_probe(path, provider, name);
  if (!probe)
    return error(probe.error());
  std::vector<UsdtArgumentLayout> layouts;
  for (size_t site = 0; site < probe->locations.size(); site++) {
    const std::vector<UsdtArgument> &arguments = probe->locations[site].arguments;
    auto same = std::find_if(layouts.begin(), layouts.end(), [&](const UsdtArgumentLayout &layout) {
      return layout.arguments == arguments;
    });
    if (same == layouts.end())
      layouts.push_back(UsdtArgumentLayout{{site}, arguments});
    else
      same->sites.push_back(site);
  }
  return layouts;
}

} // namespace sonde::probes
