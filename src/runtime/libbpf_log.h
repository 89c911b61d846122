#pragma once

// libbpf reports through one global print callback. A LibbpfLog captures
// those messages while it lives (the verifier log of a failed load among
// them) and can echo them to stderr for `-d libbpf`.

#include <string>

namespace sonde::runtime {

class LibbpfLog {
public:
  explicit LibbpfLog(bool echo);
  ~LibbpfLog();
  LibbpfLog(const LibbpfLog &) = delete;
  LibbpfLog &operator=(const LibbpfLog &) = delete;

  const std::string &text() const { return text_; }
  void append(const std::string &message);

private:
  bool echo_;
  std::string text_;
  LibbpfLog *previous_;
};

// Why a program failed to load, from captured libbpf output: the script
// place the verifier stopped at ("at stdin:3: "), the kernel's reason, then
// the last lines of the verifier log that explain it (each on its own line,
// indented). Empty when the log says nothing about `program`.
std::string load_failure_reason(const std::string &log, const std::string &program);

} // namespace sonde::runtime
