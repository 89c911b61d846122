#pragma once

// Running a compiled script: the session, its output and --metrics. Shared by
// `sonde` and `sonde-run`, so it links no part of the compiler.

#include "cli/options.h"
#include "cli/run_settings.h"
#include "common/compiled_script.h"
#include "common/diagnostics.h"

#include <string>

namespace sonde::cli {

// Loads, attaches and runs `script` until it exits; returns the process exit
// status. `source` is the script's text: runtime errors that name one of its
// lines quote it.
int trace(const CompiledScript &script, const RunSettings &settings, const Options &options,
          const Source &source);

// Whether -d names this stage (or "all").
bool wants(const Options &options, const std::string &stage);

// "ERROR: ", coloured when stderr is.
std::string error_label();

// A runtime error, shown like a compile error at the script line it names.
void report_runtime_error(const std::string &message, const Source &source);

} // namespace sonde::cli
