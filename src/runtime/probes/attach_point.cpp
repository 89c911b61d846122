#include "runtime/probes/attach_point.h"

#include "common/literals.h"
#include "runtime/probes/provider.h"

#include <algorithm>

namespace sonde::probes {

std::string AttachPointSpec::text() const {
  std::string text = provider;
  for (const std::string &field : fields)
    text += ":" + field;
  return text;
}

std::optional<uint64_t> parse_attach_count(std::string_view text) {
  // Digits, separators and an exponent only: no hex, octal, suffix or unit.
  if (text.empty() || text[0] == '0' || text.find_first_not_of("0123456789_eE") != text.npos)
    return std::nullopt;
  IntegerLiteralValue literal = parse_integer_literal(text);
  if (!literal.error.empty() || literal.value == 0)
    return std::nullopt;
  return literal.value;
}

std::vector<std::string> split_fields(std::string_view raw) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (char c : raw) {
    if (c == '"')
      quoted = !quoted;
    else if (c == ':' && !quoted)
      parts.emplace_back();
    else
      parts.back() += c;
  }
  return parts;
}

Expected<AttachPointSpec> parse_attach_point(std::string_view raw) {
  std::vector<std::string> parts = split_fields(raw);
  const Provider *provider = find_provider(parts.front());
  if (!provider)
    return error("unknown probe type '" + parts.front() + "'");
  AttachPointSpec spec;
  spec.provider = std::string(provider->name());
  spec.fields.assign(parts.begin() + 1, parts.end());
  return spec;
}

Expected<AttachPointSpec> canonical_attach_point(std::string_view raw) {
  auto parsed = parse_attach_point(raw);
  if (!parsed)
    return error(parsed.error());
  return find_provider(parsed->provider)->canonicalize(std::move(*parsed));
}

Expected<std::vector<AttachPointSpec>> expand_canonical(const AttachPointSpec &spec) {
  auto expanded = find_provider(spec.provider)->expand(spec);
  if (!expanded)
    return expanded;
  std::sort(expanded->begin(), expanded->end(),
            [](const AttachPointSpec &a, const AttachPointSpec &b) { return a.text() < b.text(); });
  return expanded;
}

Expected<std::vector<AttachPointSpec>> expand_attach_point(std::string_view raw) {
  auto canonical = canonical_attach_point(raw);
  if (!canonical)
    return error(canonical.error());
  return expand_canonical(*canonical);
}

} // namespace sonde::probes
