#pragma once

// The `-c CMD` child: started before the programs load (its pid is the
// `cpid` builtin) but held back until every probe is attached.

#include "common/expected.h"

#include <optional>
#include <string>
#include <sys/types.h>
#include <utility>

namespace sonde::runtime {

class Child {
public:
  // Forks and, once released, executes CMD split into words at blanks
  // (quotes group words; no other shell syntax). Until then the child waits
  // on a pipe, having run nothing a probe could see.
  static Expected<Child> spawn(const std::string &command);

  Child(Child &&other) noexcept;
  Child &operator=(Child &&) = delete;
  Child(const Child &) = delete;
  ~Child(); // stop()

  pid_t pid() const { return pid_; }
  // The file it executes once released.
  const std::string &program() const { return program_; }
  // Lets the child run the command.
  void release();
  // Ends a child that is still running: SIGTERM, then SIGKILL if it has
  // not exited a second later; reaps it.
  void stop();
  // True once the child has exited; reaps it.
  bool exited();
  // Once exited() said so: "exited with status 3", "was killed by signal
  // SIGSEGV (Segmentation fault)"; empty for a status of 0.
  std::string how_it_ended() const;

private:
  Child(pid_t pid, int release_fd, std::string program)
      : pid_(pid), release_fd_(release_fd), program_(std::move(program)) {}

  pid_t pid_ = -1;
  int release_fd_ = -1;
  std::string program_;
  std::optional<int> wait_status_; // waitpid's, once reaped by exited()
};

} // namespace sonde::runtime
