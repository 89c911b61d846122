#pragma once

// Shared by the probe provider tests: paths of the trigger programs, a
// running probe_target, hand-written BPF objects attached through the
// providers, and shell commands whose output the tests compare with
// (readelf, ldconfig).

#include "common/compiled_script.h"
#include "common/expected.h"
#include "runtime/probes/link.h"
#include "runtime/probes/provider.h"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

struct bpf_object;

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

// An attach target the way codegen writes one.
AttachTarget target(const std::string &provider, std::vector<std::string> fields, uint64_t cookie);

// What the test programs count per cookie in their `hits` array.
struct Hits {
  uint64_t count = 0;
  int64_t sum0 = 0;
  int64_t sum1 = 0;
};

// A BPF object of the tests whose programs load and attach through their
// probe providers, as the session does.
class BpfPrograms {
public:
  explicit BpfPrograms(const std::string &object_name);
  ~BpfPrograms();
  BpfPrograms(const BpfPrograms &) = delete;
  BpfPrograms &operator=(const BpfPrograms &) = delete;

  bpf_object *object() const { return object_; }
  // Loads the object's program `info.function_name` for `info`; the
  // object's other programs stay unloaded.
  void use(const ProgramInfo &info) { infos_.push_back(info); }
  // Sets program types, lets the providers prepare them, loads.
  Status load();
  // Returns how many targets the providers attached.
  Expected<size_t> attach(const AttachOptions &options);
  Status load_and_attach(std::optional<pid_t> pid);
  Hits hits(uint32_t cookie) const;
  void detach() { links_.clear(); }

private:
  bpf_object *object_ = nullptr;
  std::vector<ProgramInfo> infos_;
  std::vector<Link> links_;
};

} // namespace sonde::probes::testing
