#include "runtime/child.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

namespace sonde::runtime {

Expected<Child> Child::spawn(const std::string &command) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return error(std::string("cannot start child: ") + std::strerror(errno));
  std::string script = "exec " + command;
  pid_t pid = fork();
  if (pid < 0) {
    int saved = errno;
    close(fds[0]);
    close(fds[1]);
    return error(std::string("cannot start child: ") + std::strerror(saved));
  }
  if (pid == 0) {
    close(fds[1]);
    char go;
    // EOF without a byte means sonde gave up before attaching: do not run.
    if (read(fds[0], &go, 1) != 1)
      _exit(127);
    execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char *>(nullptr));
    _exit(127);
  }
  close(fds[0]);
  return Child(pid, fds[1]);
}

Child::Child(Child &&other) noexcept
    : pid_(std::exchange(other.pid_, -1)), release_fd_(std::exchange(other.release_fd_, -1)) {}

Child::~Child() { terminate(); }

void Child::release() {
  if (release_fd_ < 0)
    return;
  char go = 1;
  ssize_t written = write(release_fd_, &go, 1);
  (void)written; // a child that already died is noticed by exited()
  close(std::exchange(release_fd_, -1));
}

bool Child::exited() {
  if (pid_ < 0)
    return true;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return true;
  }
  return false;
}

void Child::terminate() {
  if (release_fd_ >= 0)
    close(std::exchange(release_fd_, -1));
  if (pid_ < 0)
    return;
  kill(pid_, SIGTERM);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

} // namespace sonde::runtime
