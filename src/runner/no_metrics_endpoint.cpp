#include "cli/metrics_endpoint.h"

namespace sonde::cli {

Expected<std::unique_ptr<MetricsEndpoint>>
bind_metrics_endpoint(const Options &, const CompiledScript &, output::ValueFormatter &) {
  return error("sonde-run serves no --metrics (its HTTP server would more than double the "
               "runner's memory): run the artifact with sonde FILE --metrics PORT");
}

} // namespace sonde::cli
