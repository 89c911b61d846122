#include "runtime/probes/listing.h"

#include "runtime/probes/provider.h"
#include "runtime/probes/wildcard.h"

namespace sonde::probes {

namespace {

ListedProbe listed(const Provider &provider, const AttachPointSpec &spec, bool verbose) {
  ListedProbe probe{spec.text(), {}};
  if (verbose)
    probe.details = provider.describe(spec);
  return probe;
}

} // namespace

std::vector<ListedProbe> list_probes(std::string_view pattern, bool verbose) {
  std::vector<ListedProbe> probes;
  if (auto spec = parse_attach_point(pattern)) {
    const Provider &provider = *find_provider(spec->provider);
    for (const AttachPointSpec &match : provider.list(spec->fields))
      probes.push_back(listed(provider, match, verbose));
    return probes;
  }
  for (const Provider *provider : all_providers())
    for (const AttachPointSpec &match : provider->list({}))
      if (pattern.empty() || wildcard_match(pattern, match.text()))
        probes.push_back(listed(*provider, match, verbose));
  return probes;
}

} // namespace sonde::probes
