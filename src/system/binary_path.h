#pragma once

// The file a uprobe or usdt attach point names.

#include "common/expected.h"

#include <string>
#include <vector>

namespace sonde::system {

// `-p PID`: an absolute path that names no file here is looked for in that
// process's mount namespace, as /proc/PID/root/PATH.
void set_target_process(int pid);

// A target with a '/' is a path, kept as written (or in the -p process's
// mount namespace), `ARCHIVE!/MEMBER` too when the archive has that member; any other name is a
// program on $PATH ("bash") or else a library in the ld.so cache ("libc", "libc.so.6"), and
// resolves to that file's path.
Expected<std::string> resolve_binary(const std::string &target);

// The existing files a path with `*` wildcards names (glob(3)), sorted; a
// target without wildcards as resolve_binary() resolves it.
Expected<std::vector<std::string>> match_binaries(const std::string &pattern);

} // namespace sonde::system
