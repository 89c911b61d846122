#pragma once

// Attach points as sema and the runtime see them: a canonical provider name
// and the fields after it. Parsing, validation and wildcard expansion live in
// the providers; this is the entry point that needs no libbpf.

#include "common/expected.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonde::probes {

struct AttachPointSpec {
  std::string provider;            // canonical: "begin", "tracepoint", "interval", …
  std::vector<std::string> fields; // the text after the provider, split at ':'

  // The form `probe` prints: "tracepoint:sched:sched_switch", "begin".
  std::string text() const;
};

// Splits at ':' outside double quotes and drops the quotes: a quoted field
// may hold ':' (`uprobe:"/a:b/prog":f`) or a C++ mangled name.
std::vector<std::string> split_fields(std::string_view raw);

// Splits `raw` at ':' and resolves the provider's short name (`t`, `i`,
// `BEGIN`, …). Fails on an unknown provider.
Expected<AttachPointSpec> parse_attach_point(std::string_view raw);

// A count or period in an attach point, written as an integer literal is
// (`1000`, `1_000`, `1e3`); nothing for any other text or for 0.
std::optional<uint64_t> parse_attach_count(std::string_view text);

// Parses, validates and brings `raw` to canonical form.
Expected<AttachPointSpec> canonical_attach_point(std::string_view raw);
// Expands a canonical spec's wildcards into the concrete attach points that
// exist on this machine (sorted). An error or an empty list means what it
// names is missing here; sema reports that per the `missing_probes` setting.
Expected<std::vector<AttachPointSpec>> expand_canonical(const AttachPointSpec &spec);
// Both of the above.
Expected<std::vector<AttachPointSpec>> expand_attach_point(std::string_view raw);

} // namespace sonde::probes
