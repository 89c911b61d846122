#include "metrics/server.h"

#include <civetweb.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <memory>
#include <netdb.h>
#include <pthread.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace sonde::metrics {

namespace {

// Workers answering at the same time; scrapes themselves run one at a time
// (the collector's lock).
constexpr const char *kWorkers = "4";
// How long a connection may take to send its request or read the answer.
constexpr const char *kTimeoutMs = "1000";

// civetweb listens on numeric addresses: a host name is resolved first. The
// port is bound once here too, so that a failure says why (civetweb's own
// message does not).
Expected<std::string> listening_port(const ListenAddress &address) {
  auto failed = [&](const std::string &why) {
    return error("--metrics: cannot listen on " + address.text() + ": " + why);
  };
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  std::string service = std::to_string(address.port);
  addrinfo *found = nullptr;
  if (int status = getaddrinfo(address.host.c_str(), service.c_str(), &hints, &found); status)
    return failed(gai_strerror(status));
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owner(found, freeaddrinfo);
  int fd = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int yes = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  int bound = fd < 0 ? -1 : ::bind(fd, found->ai_addr, found->ai_addrlen);
  int saved = errno;
  if (fd >= 0)
    close(fd);
  if (bound != 0)
    return failed(std::strerror(saved));
  char host[NI_MAXHOST];
  if (int status = getnameinfo(found->ai_addr, found->ai_addrlen, host, sizeof host, nullptr, 0,
                               NI_NUMERICHOST))
    return failed(gai_strerror(status));
  bool ipv6 = found->ai_family == AF_INET6;
  return (ipv6 ? "[" + std::string(host) + "]" : std::string(host)) + ":" + service;
}

} // namespace

struct MetricsServer::State {
  mg_context *context = nullptr;
  Scrape scrape;
  std::atomic<bool> started{false};
};

namespace {

void send_empty(mg_connection *connection, int status, const char *allow = nullptr) {
  mg_response_header_start(connection, status);
  if (allow)
    mg_response_header_add(connection, "Allow", allow, -1);
  mg_response_header_add(connection, "Content-Length", "0", -1);
  mg_response_header_send(connection);
}

// GET or HEAD /metrics: the exposition in the format the Accept header asks
// for; 503 until the probes are attached, 405 for other methods.
int answer(mg_connection *connection, void *data) {
  auto *state = static_cast<MetricsServer::State *>(data);
  std::string method = mg_get_request_info(connection)->request_method;
  if (method != "GET" && method != "HEAD") {
    send_empty(connection, 405, "GET, HEAD");
    return 405;
  }
  if (!state->started) {
    send_empty(connection, 503);
    return 503;
  }
  const char *accept = mg_get_header(connection, "Accept");
  ExpositionFormat format = negotiate_format(accept ? accept : "");
  std::string body = state->scrape(format);
  mg_send_http_ok(connection, content_type(format).c_str(), static_cast<long long>(body.size()));
  if (method == "GET")
    mg_write(connection, body.data(), body.size());
  return 200;
}

} // namespace

MetricsServer::MetricsServer() : state_(std::make_unique<State>()) {}

MetricsServer::~MetricsServer() { stop(); }

Expected<std::unique_ptr<MetricsServer>> MetricsServer::bind(const ListenAddress &address) {
  auto port = listening_port(address);
  if (!port)
    return error(port.error());
  static const unsigned initialised = mg_init_library(0);
  (void)initialised;
  std::unique_ptr<MetricsServer> server(new MetricsServer());
  const char *options[] = {
      "listening_ports", port->c_str(),       "num_threads", kWorkers, "request_timeout_ms",
      kTimeoutMs,        "enable_keep_alive", "no",          nullptr};
  mg_init_data init{};
  init.user_data = server->state_.get();
  init.configuration_options = options;
  char text[256] = "";
  mg_error_data failure{};
  failure.text = text;
  failure.text_buffer_size = sizeof text;
  // The server's threads block every signal, so that SIGINT and SIGTERM
  // reach the main thread and interrupt its wait for events.
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &previous);
  server->state_->context = mg_start2(&init, &failure);
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (!server->state_->context)
    return error("--metrics: cannot listen on " + address.text() + ": " + text);
  mg_set_request_handler(server->state_->context, "/metrics$", answer, server->state_.get());
  return server;
}

void MetricsServer::start(Scrape scrape) {
  state_->scrape = std::move(scrape);
  state_->started = true;
}

void MetricsServer::stop() {
  if (state_->context)
    mg_stop(state_->context);
  state_->context = nullptr;
}

} // namespace sonde::metrics
