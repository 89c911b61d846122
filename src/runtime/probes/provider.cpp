#include "runtime/probes/provider.h"

namespace sonde::probes {

runtime::Expected<size_t> PerTargetProvider::attach(bpf_program *program,
                                                    const codegen::ProgramInfo &info,
                                                    const AttachOptions &options,
                                                    std::vector<Link> &links) const {
  std::vector<Link> made;
  for (const codegen::AttachTarget &target : info.targets)
    if (runtime::Status status = attach_target(program, info, target, options, made); !status)
      return runtime::error(status.error());
  for (Link &link : made)
    links.push_back(std::move(link));
  return info.targets.size();
}

} // namespace sonde::probes
