// sonde-run: runs artifacts written by `sonde --aot`, without the compiler.

#include "cli/color.h"
#include "cli/options.h"
#include "runner/run_artifact.h"
#include "runtime/probes/kernel_features.h"

#include <iostream>

namespace {

const char *const kUsage = R"(USAGE:
    sonde-run [options] ARTIFACT [ARGS...]

Runs a script compiled by `sonde --aot ARTIFACT script.bt`.

OPTIONS:
    -p, --pid PID        trace process PID only; exit when it exits
    -c, --cmd 'CMD'      run CMD, trace until it exits (cpid is its pid)
    -o, --output FILE    write output to FILE
    -f text|json         output format (default text)
    -B line|full|none    output buffering (default line)
    -q                   quiet: no "Attached N probes"
    -d libbpf            libbpf's messages on stderr
    --dry-run            attach every probe, then exit
    --map @NAME=FILE     fill map @NAME from a JSON file before begin runs
    --unsafe             allow system()
    --no-warnings        no warning messages
    --metrics [ADDR:]PORT
                         serve the maps as Prometheus metrics at
                         http://ADDR:PORT/metrics (ADDR 127.0.0.1 by default)
    --metrics-prefix P   metric names start with P_ (default sonde)
    -h, --help           this help
    -V, --version        the version

ARGS must be the positional parameters the artifact was compiled with, or
none: they are part of the compiled program. See man sonde, "AHEAD OF TIME".
)";

} // namespace

int main(int argc, char **argv) {
  std::string error;
  auto options = sonde::cli::parse_options(argc, argv, error);
  if (!options) {
    std::cerr << "ERROR: " << error << "\n\n" << kUsage;
    return 1;
  }
  sonde::probes::disable_kernel_features(options->disabled_features);
  if (options->help) {
    std::cout << kUsage;
    return 0;
  }
  if (options->version) {
    std::cout << "sonde-run " << SONDE_VERSION << "\n";
    return 0;
  }
  if (options->info) {
    std::cerr << "ERROR: --info is sonde's: sonde-run has no probe listing\n";
    return 1;
  }
  if (std::string bad = sonde::cli::check_color_setting(); !bad.empty()) {
    std::cerr << "ERROR: " << bad << "\n";
    return 1;
  }
  try {
    return sonde::runner::run_artifact(*options);
  } catch (const std::exception &e) {
    std::cerr << "ERROR: " << e.what() << "\n";
    return 1;
  }
}
