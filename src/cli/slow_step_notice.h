#pragma once

// A line on a terminal's standard error while a step (compiling, loading
// into the verifier) takes longer than a moment, so a big script does not
// look hung; erased when the step ends. Nothing is written when standard
// error is not a terminal.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace sonde::cli {

class SlowStepNotice {
public:
  explicit SlowStepNotice(std::string what,
                          std::chrono::milliseconds after = std::chrono::milliseconds(1000));
  ~SlowStepNotice();
  SlowStepNotice(const SlowStepNotice &) = delete;
  SlowStepNotice &operator=(const SlowStepNotice &) = delete;

private:
  std::string what_;
  std::mutex mutex_;
  std::condition_variable done_changed_;
  bool done_ = false;
  bool shown_ = false;
  std::thread waiter_;
};

} // namespace sonde::cli
