#include "runtime/libbpf_log.h"

#include <bpf/libbpf.h>
#include <cstdarg>
#include <cstdio>
#include <sstream>
#include <vector>

namespace sonde::runtime {

namespace {

constexpr size_t kVerifierLines = 4;

LibbpfLog *active = nullptr;

int capture(enum libbpf_print_level, const char *format, va_list args) {
  if (!active)
    return 0;
  va_list copy;
  va_copy(copy, args);
  int length = std::vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  if (length <= 0)
    return length;
  std::string message(static_cast<size_t>(length) + 1, '\0');
  std::vsnprintf(message.data(), message.size(), format, args);
  message.pop_back();
  active->append(message);
  return length;
}

bool is_statistics(const std::string &line) {
  return line.starts_with("processed ") || line.starts_with("verification time") ||
         line.starts_with("stack depth");
}

} // namespace

LibbpfLog::LibbpfLog(bool echo) : echo_(echo), previous_(active) {
  active = this;
  libbpf_set_print(capture);
}

LibbpfLog::~LibbpfLog() {
  active = previous_;
  if (!active)
    libbpf_set_print(nullptr);
}

void LibbpfLog::append(const std::string &message) {
  text_ += message;
  if (echo_)
    std::fputs(message.c_str(), stderr);
}

std::string load_failure_reason(const std::string &log, const std::string &program) {
  const std::string prefix = "libbpf: prog '" + program + "': ";
  const std::string failed = "BPF program load failed: ";
  std::istringstream lines(log);
  std::string line, reason, source;
  std::vector<std::string> verifier;
  bool in_log = false;
  while (std::getline(lines, line)) {
    if (line.starts_with(prefix)) {
      std::string rest = line.substr(prefix.size());
      if (rest.starts_with(failed))
        reason = rest.substr(failed.size());
      else if (rest.starts_with("-- BEGIN PROG LOAD LOG --"))
        in_log = true;
      continue;
    }
    if (line.starts_with("-- END PROG LOAD LOG --")) {
      in_log = false;
    } else if (in_log && !line.empty() && !is_statistics(line)) {
      // "; <script line> @ <file>:<line>" marks where the instructions
      // below it come from (BTF line info).
      if (line.starts_with("; ") && line.rfind(" @ ") != std::string::npos)
        source = line.substr(line.rfind(" @ ") + 3);
      else
        verifier.push_back(line);
    }
  }
  if (reason.empty())
    return "";
  if (!source.empty())
    reason = "at " + source + ": " + reason;
  size_t first = verifier.size() > kVerifierLines ? verifier.size() - kVerifierLines : 0;
  for (size_t i = first; i < verifier.size(); i++)
    reason += "\n  " + verifier[i];
  return reason;
}

} // namespace sonde::runtime
