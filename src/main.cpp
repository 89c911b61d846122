#include "cli/color.h"
#include "cli/info.h"
#include "cli/options.h"
#include "cli/pipeline.h"
#include "common/fd_streambuf.h"
#include "runtime/probes/kernel_features.h"
#include "runtime/stop_signals.h"

#include <csignal>
#include <iostream>
#include <unistd.h>

namespace {

// std::cout writes through an FdStreamBuf while sonde runs, so a failed
// write to stdout is noticed (and reported by main) whatever wrote it.
class StdoutBuffer {
public:
  StdoutBuffer() : previous_(std::cout.rdbuf(&buffer_)) {
    buffer_.give_up_interrupted_writes_when(sonde::runtime::stop_insisted);
  }
  ~StdoutBuffer() { std::cout.rdbuf(previous_); }
  int flush() {
    std::cout.flush();
    return buffer_.error();
  }

private:
  sonde::FdStreamBuf buffer_{STDOUT_FILENO, false};
  std::streambuf *previous_;
};

void ignore_signal(int) {}

int run(int argc, char **argv) {
  std::string error;
  auto options = sonde::cli::parse_options(argc, argv, error);
  if (!options) {
    std::cerr << "ERROR: " << error << "\n\n" << sonde::cli::usage();
    return 1;
  }
  sonde::probes::disable_kernel_features(options->disabled_features);
  if (options->help) {
    std::cout << sonde::cli::usage();
    return 0;
  }
  if (options->info)
    return sonde::cli::print_info();
  if (options->version) {
    std::cout << "sonde " << SONDE_VERSION << "\n";
    return 0;
  }
  if (std::string bad = sonde::cli::check_color_setting(); !bad.empty()) {
    std::cerr << "ERROR: " << bad << "\n";
    return 1;
  }
  try {
    return sonde::cli::run(*options);
  } catch (const std::exception &e) {
    std::cerr << "ERROR: " << e.what() << "\n";
    return 1;
  }
}

} // namespace

int main(int argc, char **argv) {
  // A reader that closes the pipe makes writes fail with EPIPE, reported
  // like any other write error, instead of killing sonde before it cleans
  // up. A handler, not SIG_IGN, so that the -c child gets the default back.
  struct sigaction action {};
  action.sa_handler = ignore_signal;
  action.sa_flags = SA_RESTART;
  sigaction(SIGPIPE, &action, nullptr);
  StdoutBuffer stdout_buffer;
  int status = run(argc, argv);
  if (int error = stdout_buffer.flush(); error != 0) {
    std::cerr << "ERROR: " << sonde::write_error_message("stdout", error) << "\n";
    return status != 0 ? status : 1;
  }
  return status;
}
