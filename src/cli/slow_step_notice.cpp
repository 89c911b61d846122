#include "cli/slow_step_notice.h"

#include <cstdio>
#include <unistd.h>

namespace sonde::cli {

SlowStepNotice::SlowStepNotice(std::string what, std::chrono::milliseconds after)
    : what_(std::move(what)) {
  if (!isatty(STDERR_FILENO))
    return;
  waiter_ = std::thread([this, after] {
    std::unique_lock lock(mutex_);
    if (done_changed_.wait_for(lock, after, [this] { return done_; }))
      return;
    std::fprintf(stderr, "%s... (Ctrl-C stops)", what_.c_str());
    std::fflush(stderr);
    shown_ = true;
  });
}

SlowStepNotice::~SlowStepNotice() {
  if (!waiter_.joinable())
    return;
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  done_changed_.notify_one();
  waiter_.join();
  if (shown_) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }
}

} // namespace sonde::cli
