#pragma once

// Shared by the probe provider tests: paths of the trigger programs, a
// running probe_target, and shell commands whose output the tests compare
// with (nm, readelf, ldconfig).

#include <cstdio>
#include <string>
#include <sys/types.h>
#include <vector>

namespace sonde::probes::testing {

inline std::string prog(const std::string &name) {
  return std::string(SONDE_PROGS_DIR) + "/" + name;
}

inline std::string bpf_object_path(const std::string &name) {
  return std::string(SONDE_BPF_OBJECTS) + "/" + name;
}

// The standard output of a shell command.
std::string command_output(const std::string &command);
std::vector<std::string> lines_of(const std::string &text);

// probe_target started with `rounds` and "wait": it prints the address of
// its watched variable, then waits until go() before running its rounds.
class Target {
public:
  explicit Target(long rounds);
  ~Target(); // kills and reaps a target still running
  Target(const Target &) = delete;
  Target &operator=(const Target &) = delete;

  pid_t pid() const { return pid_; }
  // The address probe_target printed for `sonde_watched`.
  uint64_t watched_address() const { return watched_; }
  void go();
  // The rest of its output once it exited; `status` gets its exit status.
  std::string wait(int &status);

private:
  pid_t pid_ = -1;
  FILE *in_ = nullptr;
  FILE *out_ = nullptr;
  uint64_t watched_ = 0;
};

} // namespace sonde::probes::testing
