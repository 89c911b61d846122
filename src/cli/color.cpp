#include "cli/color.h"

#include <cstdlib>
#include <unistd.h>

namespace sonde::cli {

namespace {

const char *const kVariables[] = {"SONDE_COLOR", "BPFTRACE_COLOR"};

bool valid(const std::string &value) {
  return value == "always" || value == "never" || value == "auto";
}

} // namespace

std::string check_color_setting() {
  for (const char *variable : kVariables)
    if (const char *value = std::getenv(variable); value && !valid(value))
      return std::string(variable) + " expects always, never or auto, got '" + value + "'";
  return "";
}

bool stderr_color() {
  static const bool color = [] {
    std::string value = "auto";
    for (const char *variable : kVariables)
      if (const char *setting = std::getenv(variable)) {
        value = setting;
        break;
      }
    if (value == "always")
      return true;
    if (value == "never")
      return false;
    const char *term = std::getenv("TERM");
    return isatty(STDERR_FILENO) && !(term && std::string(term) == "dumb");
  }();
  return color;
}

} // namespace sonde::cli
