#include "runtime/output/time_format.h"

#include <cstdio>
#include <ctime>

namespace sonde::output {

namespace {

// Replaces each `%f` with the microseconds, keeping `%%` for strftime.
std::string expand_microseconds(const std::string &format, uint64_t ns) {
  char micros[8];
  std::snprintf(micros, sizeof micros, "%06llu",
                static_cast<unsigned long long>(ns % 1000000000 / 1000));
  std::string out;
  for (size_t i = 0; i < format.size(); i++) {
    if (format[i] == '%' && i + 1 < format.size()) {
      if (format[i + 1] == 'f') {
        out += micros;
      } else {
        out += format[i];
        out += format[i + 1];
      }
      i++;
      continue;
    }
    out += format[i];
  }
  return out;
}

} // namespace

std::string format_time(uint64_t ns, const std::string &format) {
  std::time_t seconds = static_cast<std::time_t>(ns / 1000000000);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  std::string expanded = expand_microseconds(format, ns);
  if (expanded.empty())
    return "";
  std::string out(expanded.size() * 4 + 64, '\0');
  for (;;) {
    size_t n = std::strftime(out.data(), out.size(), expanded.c_str(), &tm);
    if (n > 0) {
      out.resize(n);
      return out;
    }
    // 0 means "did not fit" or "empty result"; give up once the buffer is
    // far larger than any sane result.
    if (out.size() > 65536)
      return "";
    out.resize(out.size() * 2);
  }
}

} // namespace sonde::output
