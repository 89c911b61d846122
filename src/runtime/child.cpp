#include "runtime/child.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace sonde::runtime {

namespace {

// Words separated by blanks; '…' and "…" group, without escapes inside.
std::vector<std::string> split_words(const std::string &command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : command) {
    if (quote) {
      if (c == quote)
        quote = 0;
      else
        word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word)
        words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word)
    words.push_back(std::move(word));
  return words;
}

bool is_executable_file(const std::string &path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

// The file execvp() would run for `name`: the name itself when it holds a
// slash, else the first executable file of that name along $PATH.
std::optional<std::string> find_executable(const std::string &name) {
  if (name.find('/') != std::string::npos)
    return is_executable_file(name) ? std::optional(name) : std::nullopt;
  const char *path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  for (size_t start = 0; start <= dirs.size();) {
    size_t end = std::min(dirs.find(':', start), dirs.size());
    std::string dir = dirs.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (is_executable_file(candidate))
      return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

} // namespace

Expected<Child> Child::spawn(const std::string &command) {
  std::vector<std::string> words = split_words(command);
  if (words.empty())
    return error("the command to run (-c) is empty");
  // Checked here, before anything is loaded, rather than found out by exec.
  std::optional<std::string> executable = find_executable(words[0]);
  if (!executable)
    return error("cannot run " + words[0] + ": no executable file of that name" +
                 (words[0].find('/') == std::string::npos ? " in PATH" : ""));
  std::vector<char *> argv;
  for (std::string &word : words)
    argv.push_back(word.data());
  argv.push_back(nullptr);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return error(std::string("cannot start child: ") + std::strerror(errno));
  pid_t pid = fork();
  if (pid < 0) {
    int saved = errno;
    close(fds[0]);
    close(fds[1]);
    return error(std::string("cannot start child: ") + std::strerror(saved));
  }
  if (pid == 0) {
    // Killed with sonde, however sonde ends (even by SIGKILL). A sonde that
    // died before the prctl closed the pipe: the read below sees EOF.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    close(fds[1]);
    char go;
    // EOF without a byte means sonde gave up before attaching: do not run.
    if (read(fds[0], &go, 1) != 1)
      _exit(127);
    execv(executable->c_str(), argv.data());
    std::fprintf(stderr, "ERROR: cannot run %s: %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }
  close(fds[0]);
  return Child(pid, fds[1], *executable);
}

Child::Child(Child &&other) noexcept
    : pid_(std::exchange(other.pid_, -1)), release_fd_(std::exchange(other.release_fd_, -1)),
      program_(std::move(other.program_)), wait_status_(other.wait_status_) {}

Child::~Child() { stop(); }

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
    wait_status_ = status;
    return true;
  }
  return false;
}

std::string Child::how_it_ended() const {
  if (!wait_status_)
    return "";
  if (WIFEXITED(*wait_status_))
    return WEXITSTATUS(*wait_status_) == 0
               ? ""
               : "exited with status " + std::to_string(WEXITSTATUS(*wait_status_));
  if (WIFSIGNALED(*wait_status_)) {
    int sig = WTERMSIG(*wait_status_);
    const char *name = sigabbrev_np(sig);
    return "was killed by signal " + (name ? "SIG" + std::string(name) : std::to_string(sig)) +
           " (" + strsignal(sig) + ")";
  }
  return "";
}

void Child::stop() {
  if (release_fd_ >= 0)
    close(std::exchange(release_fd_, -1));
  if (pid_ < 0)
    return;
  // A command that ignores SIGTERM gets SIGKILL after a grace period.
  constexpr int kGraceMilliseconds = 1000, kStepMilliseconds = 10;
  kill(pid_, SIGTERM);
  for (int waited = 0; waited < kGraceMilliseconds; waited += kStepMilliseconds) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    usleep(kStepMilliseconds * 1000);
  }
  kill(pid_, SIGKILL);
  while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

} // namespace sonde::runtime
