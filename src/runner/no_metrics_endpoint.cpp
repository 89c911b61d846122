#include "cli/metrics_endpoint.h"

namespace sonde::cli {

Expected<std::unique_ptr<MetricsEndpoint>>
bind_metrics_endpoint(const Options &, const CompiledScript &, output::ValueFormatter &) {
  return error("sonde-run serves no --metrics (its HTTP server would take the runner past "
               "its 6 MB): run the artifact with sonde FILE --metrics PORT");
}

} // namespace sonde::cli
