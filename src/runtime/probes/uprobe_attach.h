#pragma once

// Attaching uprobe programs (uprobes, uretprobes, usdt probes). Where the
// kernel has uprobe_multi links (Linux 6.6), all of a program's sites in one
// binary share one link: attaching and detaching thousands of sites then
// takes milliseconds, where one perf event per site takes ~0.1 s each to
// detach. Older kernels get one perf event per site.

#include "runtime/expected.h"
#include "runtime/probes/link.h"

#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

struct bpf_program;

namespace sonde::probes {

struct UprobeSite {
  uint64_t offset = 0;         // file offset of the instruction
  uint64_t ref_ctr_offset = 0; // file offset of a usdt semaphore, 0 for none
  uint64_t cookie = 0;
};

// Before load: a program attached through uprobe_multi links must say so.
runtime::Status prepare_uprobe_program(bpf_program *program);

// Attaches a loaded program to sites of one binary, in process `pid` only
// when given. `what` names the probe in errors.
runtime::Status attach_uprobe_sites(bpf_program *program, const std::string &path,
                                    const std::vector<UprobeSite> &sites, bool retprobe,
                                    std::optional<pid_t> pid, const std::string &what,
                                    std::vector<Link> &links);

} // namespace sonde::probes
