#pragma once

// Attaching uprobe programs (uprobes, uretprobes, usdt probes). Where the
// kernel has uprobe_multi links (Linux 6.6), all of a program's sites in one
// binary share one link: attaching and detaching thousands of sites then
// takes milliseconds, where one perf event per site takes ~0.1 s each to
// detach. Older kernels get one perf event per site.

#include "common/expected.h"
#include "runtime/probes/link.h"
#include "runtime/probes/provider.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

struct bpf_program;

namespace sonde::probes {

struct UprobeSite {
  uint64_t offset = 0;         // file offset of the instruction
  uint64_t ref_ctr_offset = 0; // file offset of a usdt semaphore, 0 for none
  uint64_t cookie = 0;
  size_t target = 0; // the program's attach target it belongs to
  std::string spec;  // that target, for errors: "uprobe:/bin/bash:readline"
  std::string label; // the site in warnings: "readline"
};

// A program's sites, by the binary they are in.
using UprobeSitesByPath = std::map<std::string, std::vector<UprobeSite>>;

// Whether uprobe programs attach through uprobe_multi links: the kernel has
// them and --no-feature uprobe_multi did not turn them off.
bool uprobe_multi_supported();

// Before load: a program attached through uprobe_multi links must say so.
Status prepare_uprobe_program(bpf_program *program);

// Attaches a loaded program to its sites (in options.pid alone when
// given) and returns how many of its `target_count` targets got at least
// one site. Sites the kernel refuses to probe (an instruction it cannot
// single-step) are skipped with a warning per binary; if none attaches,
// or on any other failure, it is an error.
Expected<size_t> attach_uprobe_sites(bpf_program *program, const UprobeSitesByPath &sites,
                                     size_t target_count, bool retprobe,
                                     const AttachOptions &options, std::vector<Link> &links);

} // namespace sonde::probes
