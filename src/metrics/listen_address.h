#pragma once

// The argument of --metrics: `[ADDR:]PORT`, ADDR an IPv4 address or host
// name, or an IPv6 address in brackets ("[::1]:9100"); 127.0.0.1 when
// omitted.

#include "common/expected.h"

#include <string>

namespace sonde::metrics {

struct ListenAddress {
  std::string host = "127.0.0.1";
  int port = 0;

  std::string text() const; // "127.0.0.1:9100", "[::1]:9100"
};

Expected<ListenAddress> parse_listen_address(const std::string &spec);

} // namespace sonde::metrics
