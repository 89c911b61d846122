// KernelTypes::c_source: kernel types written back as C by libbpf's btf_dump.

#include "system/kernel_btf.h"
#include "types/btf_types.h"
#include "types/btf_types_source.h"

#include <algorithm>
#include <bpf/btf.h>
#include <cstdarg>
#include <cstdio>

namespace sonde::types {

namespace {} // namespace

std::string KernelTypes::c_source(const std::vector<std::string> &names) {
  // One dumper writes each type it reaches once, so types are grouped by the
  // BTF that defines them. A module's split BTF also reaches vmlinux's
  // types: vmlinux's group joins the first module's, or two dumpers would
  // both write the vmlinux types they share.
  std::vector<std::pair<BtfSource *, std::vector<uint32_t>>> groups;
  for (const std::string &name : names) {
    auto found = locate_type(name);
    if (!found)
      found = locate_enumerator(name);
    if (!found)
      continue;
    auto group = std::find_if(groups.begin(), groups.end(),
                              [&](const auto &g) { return g.first == found->source; });
    if (group == groups.end())
      group = groups.insert(groups.end(), {found->source, {}});
    group->second.push_back(found->id);
  }
  auto is_vmlinux = [&](const auto &g) { return g.first == source(0); };
  auto vmlinux = std::find_if(groups.begin(), groups.end(), is_vmlinux);
  auto module = std::find_if_not(groups.begin(), groups.end(), is_vmlinux);
  if (vmlinux != groups.end() && module != groups.end()) {
    module->second.insert(module->second.begin(), vmlinux->second.begin(), vmlinux->second.end());
    groups.erase(vmlinux);
  }
  std::string text;
  for (const auto &[source, ids] : groups) {
    btf_dump *dumper = btf_dump__new(source->types(), system::append_btf_dump_text, &text, nullptr);
    if (!dumper)
      continue;
    for (uint32_t id : ids)
      btf_dump__dump_type(dumper, id);
    btf_dump__free(dumper);
  }
  return text;
}

} // namespace sonde::types
