#pragma once

// The HTTP endpoint of --metrics (civetweb, which needs nothing but libc:
// sonde's startup does not pay for it): GET /metrics answers with the
// exposition in the format the Accept header asks for; other methods on
// /metrics get 405, other paths 404.
//
// bind() takes the port at once, so that a port in use is reported before
// anything is loaded (scrapes get 503 until start()); requests are answered
// on threads of their own, so a scrape never holds up event processing.
// Every request has a 1 s timeout and no keep-alive: a scraper that sends
// nothing, or never reads, holds a worker (and stop()) for about a second
// at most.

#include "common/expected.h"
#include "metrics/exposition.h"
#include "metrics/listen_address.h"

#include <functional>
#include <memory>
#include <string>

namespace sonde::metrics {

class MetricsServer {
public:
  using Scrape = std::function<std::string(ExpositionFormat)>;

  static Expected<std::unique_ptr<MetricsServer>> bind(const ListenAddress &address);
  ~MetricsServer(); // stop()

  // `scrape` runs on the server's threads, one call per request.
  void start(Scrape scrape);
  // Returns once no request is being answered and none will be.
  void stop();

  struct State;

private:
  MetricsServer();

  std::unique_ptr<State> state_;
};

} // namespace sonde::metrics
