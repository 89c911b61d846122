#pragma once

// --no-feature: kernel features sonde acts as if the kernel lacked, set once
// from the command line before anything is loaded or attached. The ones
// sonde can use are uprobe_multi links (uprobe_attach.cpp); kprobe_multi and
// kprobe_session are accepted for bpftrace's command lines and change nothing.

#include <string>
#include <vector>

namespace sonde::probes {

void disable_kernel_features(const std::vector<std::string> &names);
bool kernel_feature_disabled(const std::string &name);

} // namespace sonde::probes
