#pragma once

#include "ast/ast.h"
#include "common/diagnostics.h"
#include "sema/config.h"

namespace sonde::sema {

// bpftrace's unstable features (config.h kUnstableFeatures): with `error`, each use
// is an error; with `warn`, the default, the first use gets a warning.
void check_unstable_features(ast::Program &program, const Config &config, Diagnostics &diags);

} // namespace sonde::sema
