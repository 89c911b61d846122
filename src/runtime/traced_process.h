#pragma once

// The process given with -p: held by a pidfd, so that its exit is noticed
// (and its pid not confused with a later process that reuses it).

#include "common/expected.h"

#include <sys/types.h>

namespace sonde::runtime {

class TracedProcess {
public:
  // Fails with a line naming the pid when there is no such process.
  static Expected<TracedProcess> open(pid_t pid);

  TracedProcess(TracedProcess &&other) noexcept;
  TracedProcess &operator=(TracedProcess &&) = delete;
  TracedProcess(const TracedProcess &) = delete;
  ~TracedProcess();

  pid_t pid() const { return pid_; }
  // True once the process has exited (without waiting).
  bool exited() const;

private:
  TracedProcess(pid_t pid, int fd) : pid_(pid), fd_(fd) {}

  pid_t pid_ = -1;
  int fd_ = -1;
};

} // namespace sonde::runtime
