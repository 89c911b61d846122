#pragma once

// Attaching uprobe programs (uprobes, uretprobes, usdt probes). Where the
// kernel has uprobe_multi links (Linux 6.6), all of a program's sites in one
// binary share one link: attaching and detaching thousands of sites then
// takes milliseconds, where one perf event per site takes ~0.1 s each to
// detach. Older kernels get one perf event per site.

#include "runtime/expected.h"
#include "runtime/probes/link.h"
#include "runtime/probes/provider.h"

#include <cstdint>
#include <string>
#include <vector>

struct bpf_program;

namespace sonde::probes {

struct UprobeSite {
  uint64_t offset = 0;         // file offset of the instruction
  uint64_t ref_ctr_offset = 0; // file offset of a usdt semaphore, 0 for none
  uint64_t cookie = 0;
  std::string spec;  // the attach point, for errors: "uprobe:/bin/bash:readline"
  std::string label; // the site in warnings: "readline"
};

// Before load: a program attached through uprobe_multi links must say so.
runtime::Status prepare_uprobe_program(bpf_program *program);

// Attaches a loaded program to sites of one binary (in options.pid alone
// when given). Sites the kernel refuses to probe (an instruction it cannot
// single-step) are skipped with one warning when others attach; a site
// refused alone, or any other failure, is an error.
runtime::Status attach_uprobe_sites(bpf_program *program, const std::string &path,
                                    const std::vector<UprobeSite> &sites, bool retprobe,
                                    const AttachOptions &options, std::vector<Link> &links);

} // namespace sonde::probes
