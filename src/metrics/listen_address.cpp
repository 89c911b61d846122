#include "metrics/listen_address.h"

#include <cstdlib>

namespace sonde::metrics {

std::string ListenAddress::text() const {
  bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Expected<ListenAddress> parse_listen_address(const std::string &spec) {
  auto bad = [&](const std::string &why) {
    return error("--metrics expects [ADDR:]PORT, got '" + spec + "': " + why);
  };
  ListenAddress address;
  std::string port = spec;
  if (!spec.empty() && spec[0] == '[') {
    size_t close = spec.find(']');
    if (close == std::string::npos || close + 1 >= spec.size() || spec[close + 1] != ':')
      return bad("an IPv6 address is written [ADDR]:PORT");
    address.host = spec.substr(1, close - 1);
    port = spec.substr(close + 2);
  } else if (size_t colon = spec.rfind(':'); colon != std::string::npos) {
    address.host = spec.substr(0, colon);
    port = spec.substr(colon + 1);
  }
  if (address.host.empty())
    return bad("no address before ':'");
  char *end = nullptr;
  long number = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || *end != '\0' || number < 1 || number > 65535)
    return bad("the port is a number from 1 to 65535");
  address.port = static_cast<int>(number);
  return address;
}

} // namespace sonde::metrics
