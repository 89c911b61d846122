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

namespace {

// The setting, else whether `fd` is a terminal (not a dumb one).
bool color_for(int fd) {
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
  return isatty(fd) && !(term && std::string(term) == "dumb");
}

} // namespace

bool stderr_color() {
  static const bool color = color_for(STDERR_FILENO);
  return color;
}

bool stdout_color() {
  static const bool color = color_for(STDOUT_FILENO);
  return color;
}

} // namespace sonde::cli
