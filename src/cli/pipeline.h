#pragma once

#include "cli/options.h"

namespace sonde::cli {

// Runs the stages for the parsed options; returns the process exit status.
int run(const Options &options);

} // namespace sonde::cli
