#include "cli/metrics_endpoint.h"

#include "metrics/collector.h"
#include "metrics/server.h"

namespace sonde::cli {

namespace {

class ServedMetrics : public MetricsEndpoint {
public:
  ServedMetrics(std::unique_ptr<metrics::MetricsServer> server, const Options &o,
                const CompiledScript &script, output::ValueFormatter &formatter)
      : server_(std::move(server)),
        collector_(script.maps, reader(), formatter, o.metrics_prefix, SONDE_VERSION) {}
  ~ServedMetrics() override { server_->stop(); }

  void start(runtime::Session &session) override {
    session_ = &session;
    server_->start([this](metrics::ExpositionFormat format) { return collector_.scrape(format); });
  }

private:
  // What a scrape reads of the session, from the server's thread.
  metrics::SessionReader reader() {
    return {[this](size_t map_index) { return session_->map_entries(map_index); },
            [this] { return session_->lost_events(); },
            [this] { return session_->attached_probes(); }};
  }

  std::unique_ptr<metrics::MetricsServer> server_;
  runtime::Session *session_ = nullptr;
  metrics::Collector collector_;
};

} // namespace

Expected<std::unique_ptr<MetricsEndpoint>>
bind_metrics_endpoint(const Options &o, const CompiledScript &script,
                      output::ValueFormatter &formatter) {
  auto bound = metrics::MetricsServer::bind(*o.metrics);
  if (!bound)
    return error(bound.error());
  return std::unique_ptr<MetricsEndpoint>(
      std::make_unique<ServedMetrics>(std::move(*bound), o, script, formatter));
}

} // namespace sonde::cli
