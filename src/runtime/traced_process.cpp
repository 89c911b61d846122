#include "runtime/traced_process.h"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <utility>

namespace sonde::runtime {

Expected<TracedProcess> TracedProcess::open(pid_t pid) {
  if (pid <= 0)
    return error("cannot trace process " + std::to_string(pid) + ": not a process id");
  long fd = syscall(SYS_pidfd_open, pid, 0);
  if (fd < 0)
    return error("cannot trace process " + std::to_string(pid) + ": " + std::strerror(errno));
  return TracedProcess(pid, static_cast<int>(fd));
}

TracedProcess::TracedProcess(TracedProcess &&other) noexcept
    : pid_(std::exchange(other.pid_, -1)), fd_(std::exchange(other.fd_, -1)) {}

TracedProcess::~TracedProcess() {
  if (fd_ >= 0)
    close(fd_);
}

// A pidfd becomes readable when its process exits.
bool TracedProcess::exited() const {
  pollfd watch{fd_, POLLIN, 0};
  return poll(&watch, 1, 0) > 0;
}

} // namespace sonde::runtime
