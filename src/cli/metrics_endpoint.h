#pragma once

// --metrics: the HTTP endpoint a run serves its maps on. sonde links the
// server (metrics_endpoint.cpp); sonde-run links no_metrics_endpoint.cpp
// instead: with civetweb linked, `begin { exit(); }` peaks at 6.0 MB instead of
// 5.7, past the runner's 6 MB budget.

#include "cli/options.h"
#include "common/compiled_script.h"
#include "common/expected.h"
#include "runtime/output/value_formatter.h"
#include "runtime/session.h"

#include <memory>

namespace sonde::cli {

class MetricsEndpoint {
public:
  virtual ~MetricsEndpoint() = default;
  // Serves scrapes of the session from now until destroyed; called once its
  // probes are attached.
  virtual void start(runtime::Session &session) = 0;
};

// Binds options.metrics, before anything is loaded: a port in use stops the
// run there.
Expected<std::unique_ptr<MetricsEndpoint>> bind_metrics_endpoint(const Options &options,
                                                                 const CompiledScript &script,
                                                                 output::ValueFormatter &formatter);

} // namespace sonde::cli
