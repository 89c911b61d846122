#include "metrics/server.h"

#include <httplib.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <thread>

namespace sonde::metrics {

namespace {

constexpr time_t kTimeoutSeconds = 1;
constexpr size_t kWorkers = 4;

} // namespace

struct MetricsServer::State {
  httplib::Server http;
  std::thread listener;
  std::atomic<bool> listening_done{false};
};

MetricsServer::MetricsServer() : state_(std::make_unique<State>()) {}

MetricsServer::~MetricsServer() { stop(); }

Expected<std::unique_ptr<MetricsServer>> MetricsServer::bind(const ListenAddress &address) {
  std::unique_ptr<MetricsServer> server(new MetricsServer());
  httplib::Server &http = server->state_->http;
  // SO_REUSEADDR alone: httplib's default adds SO_REUSEPORT, with which a
  // second sonde on the same port would bind too instead of failing.
  // Nor is the socket left open in what system() runs.
  http.set_socket_options([](int socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    fcntl(socket, F_SETFD, FD_CLOEXEC);
  });
  http.set_read_timeout(kTimeoutSeconds);
  http.set_write_timeout(kTimeoutSeconds);
  http.set_keep_alive_timeout(kTimeoutSeconds);
  http.new_task_queue = [] { return new httplib::ThreadPool(kWorkers); };
  errno = 0;
  if (!http.bind_to_port(address.host, address.port)) {
    std::string reason = errno ? std::strerror(errno) : "cannot bind";
    return error("--metrics: cannot listen on " + address.text() + ": " + reason);
  }
  return server;
}

void MetricsServer::start(Scrape scrape) {
  httplib::Server &http = state_->http;
  http.Get("/metrics", [scrape](const httplib::Request &request, httplib::Response &response) {
    ExpositionFormat format = negotiate_format(request.get_header_value("Accept"));
    response.set_content(scrape(format), content_type(format).c_str());
  });
  // Before httplib reads a body (or refuses one without a length).
  http.set_pre_routing_handler([](const httplib::Request &request, httplib::Response &response) {
    if (request.path != "/metrics" || request.method == "GET" || request.method == "HEAD")
      return httplib::Server::HandlerResponse::Unhandled;
    response.status = 405;
    response.set_header("Allow", "GET, HEAD");
    return httplib::Server::HandlerResponse::Handled;
  });
  // The listener and its workers block every signal, so that SIGINT and
  // SIGTERM reach the main thread and interrupt its wait for events.
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &previous);
  state_->listener = std::thread([state = state_.get()] {
    state->http.listen_after_bind();
    state->listening_done = true;
  });
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  // stop() only takes effect once the listener runs.
  while (!http.is_running() && !state_->listening_done)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void MetricsServer::stop() {
  state_->http.stop();
  if (state_->listener.joinable())
    state_->listener.join();
}

} // namespace sonde::metrics
