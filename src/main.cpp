#include "cli/color.h"
#include "cli/info.h"
#include "cli/options.h"
#include "cli/pipeline.h"

#include <iostream>

int main(int argc, char **argv) {
  std::string error;
  auto options = sonde::cli::parse_options(argc, argv, error);
  if (!options) {
    std::cerr << "ERROR: " << error << "\n\n" << sonde::cli::usage();
    return 1;
  }
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
