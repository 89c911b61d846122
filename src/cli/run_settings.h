#pragma once

// What the script's config fixes for its run, beyond the compiled object: the
// part of sema::Config the runtime reads. Kept with the script in an artifact.

#include "runtime/output/value_formatter.h"

#include <cstdint>
#include <string>

namespace sonde::cli {

struct RunSettings {
  output::StackMode stack_mode = output::StackMode::Bpftrace;
  bool print_maps_on_exit = true;
  uint64_t max_cat_bytes = 10240;
  std::string str_trunc_trailer = ".."; // after strings that filled their buffer
  bool cpp_demangle = true;             // user symbols' C++ names demangled
  bool lazy_symbolication = false;      // user symbols read when printed, not announced
  bool show_debug_info = true;          // user stack frames' source lines and inlined calls
};

} // namespace sonde::cli
