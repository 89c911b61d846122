#include "runtime/probes/attach_point.h"

#include "runtime/probes/provider.h"
#include "runtime/probes/wildcard.h"

#include <algorithm>

namespace sonde::probes {

using runtime::Expected;

std::string AttachPointSpec::text() const {
  std::string text = provider;
  for (const std::string &field : fields)
    text += ":" + field;
  return text;
}

Expected<AttachPointSpec> parse_attach_point(std::string_view raw) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t colon = raw.find(':', start);
    parts.emplace_back(raw.substr(start, colon - start));
    if (colon == std::string_view::npos)
      break;
    start = colon + 1;
  }
  const Provider *provider = find_provider(parts.front());
  if (!provider)
    return runtime::error("unknown probe type '" + parts.front() + "'");
  AttachPointSpec spec;
  spec.provider = std::string(provider->name());
  spec.fields.assign(parts.begin() + 1, parts.end());
  return spec;
}

Expected<std::vector<AttachPointSpec>> expand_attach_point(std::string_view raw) {
  auto parsed = parse_attach_point(raw);
  if (!parsed)
    return runtime::error(parsed.error());
  const Provider &provider = *find_provider(parsed->provider);
  auto canonical = provider.canonicalize(std::move(*parsed));
  if (!canonical)
    return runtime::error(canonical.error());
  auto expanded = provider.expand(*canonical);
  if (!expanded)
    return expanded;
  std::sort(expanded->begin(), expanded->end(),
            [](const AttachPointSpec &a, const AttachPointSpec &b) { return a.text() < b.text(); });
  return expanded;
}

std::vector<std::string> list_attach_points(std::string_view pattern) {
  std::string resolved(pattern);
  size_t colon = pattern.find(':');
  if (colon != std::string_view::npos) {
    if (const Provider *provider = find_provider(pattern.substr(0, colon)))
      resolved = std::string(provider->name()) + std::string(pattern.substr(colon));
  }
  std::vector<std::string> matches;
  for (const Provider *provider : all_providers()) {
    for (const AttachPointSpec &spec : provider->list()) {
      std::string text = spec.text();
      if (resolved.empty() || wildcard_match(resolved, text))
        matches.push_back(std::move(text));
    }
  }
  return matches;
}

} // namespace sonde::probes
