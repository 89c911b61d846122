#pragma once

// `sonde --aot FILE`: the compiled script and everything its run needs,
// written as an artifact (artifact/artifact.h) for sonde-run.

#include "cli/options.h"
#include "cli/run_settings.h"
#include "common/compiled_script.h"
#include "common/diagnostics.h"
#include "sema/sema.h"

namespace sonde::cli {

// What of the script's config its run reads.
RunSettings run_settings(const sema::Config &config);

// Refuses, at the script place, what an artifact cannot carry to another
// kernel (bitfields, the size of kernel structs, path()'s dentry walk);
// returns the process exit status.
int write_artifact(const CompiledScript &script, sema::TypedProgram &typed, const Options &options,
                   Diagnostics &diags);

} // namespace sonde::cli
