#pragma once

// `-l 'struct NAME'` and `-lv 'struct NAME'` (also union, enum): the kernel's
// types whose names match a wildcard, from BTF (vmlinux and the modules');
// with `verbose`, each one's C definition as libbpf's btf_dump writes it, as
// bpftrace prints it.

#include "runtime/probes/listing.h"

#include <string_view>
#include <vector>

namespace sonde::probes {

// Whether `pattern` names types ("struct task_*") rather than probes.
bool is_type_pattern(std::string_view pattern);

// Sorted by name. Verbose: `text` is the definition's first line
// ("struct list_head {"), `details` the others and an empty line.
std::vector<ListedProbe> list_types(std::string_view pattern, bool verbose);

} // namespace sonde::probes
