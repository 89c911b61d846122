#pragma once

// Running an artifact written by `sonde --aot`: what `sonde-run FILE` does,
// and `sonde FILE` when FILE starts with the artifact magic.

#include "cli/options.h"

namespace sonde::runner {

// Runs the artifact at options.script_path; returns the process exit status.
// Refuses, in one line, options and parameters that were fixed when it was
// compiled and a host whose symbols or tracepoint formats differ.
int run_artifact(const cli::Options &options);

} // namespace sonde::runner
