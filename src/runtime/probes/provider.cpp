#include "runtime/probes/provider.h"

namespace sonde::probes {

const ProbeKind &Provider::kind() const { return *find_probe_kind(std::string(name())); }

Expected<size_t> PerTargetProvider::attach(bpf_program *program, const ProgramInfo &info,
                                           const AttachOptions &options,
                                           std::vector<Link> &links) const {
  std::vector<Link> made;
  for (const AttachTarget &target : info.targets)
    if (Status status = attach_target(program, info, target, options, made); !status)
      return error(status.error());
  for (Link &link : made)
    links.push_back(std::move(link));
  return info.targets.size();
}

} // namespace sonde::probes
