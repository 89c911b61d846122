#pragma once

// The command line: `sonde [options] (-e PROGRAM | FILE | -) [ARGS…]`.

#include "common/probe_kind.h"
#include "metrics/listen_address.h"

#include <optional>
#include <string>
#include <vector>

namespace sonde::cli {

enum class Emit { None, Ast, Llvm, Elf };

struct Options {
  std::string program_text;        // -e
  std::string script_path;         // FILE, or "-" for stdin
  std::vector<std::string> params; // $1 …
  bool list = false;               // -l
  std::string list_pattern;        // -l PATTERN
  bool verbose = false;            // -v
  bool quiet = false;              // -q
  std::string child_command;       // -c
  std::optional<int> pid;          // -p
  std::vector<int> dwarf_pids;     // --dwarf-pid: processes dw_ustack unwinds
  std::string output_path;         // -o
  std::string format = "text";     // -f text|json
  std::string buffering = "line";  // -B line|full|none
  bool unsafe = false;
  // --map @name=FILE: fill a map from a JSON file before begin.
  std::vector<std::pair<std::string, std::string>> map_files;
  std::vector<std::string> include_dirs; // -I
  std::vector<std::string> includes;     // --include
  std::vector<std::string> debug_stages; // -d
  Emit emit = Emit::None;
  std::string aot_path;       // --aot FILE
  std::string emit_elf_path;  // --emit-elf FILE: --emit elf, to FILE
  std::string emit_llvm_path; // --emit-llvm FILE: FILE.original.ll, FILE.optimized.ll
  bool fmt = false;           // --fmt FILE: print script_path in the standard layout
  bool verify = false;
  bool dry_run = false;
  bool helper_errors = false;                    // -k
  bool no_warnings = false;                      // --no-warnings
  std::vector<std::string> debug_directories;    // --debuginfo DIR[:DIR]
  std::optional<std::string> probe_filter;       // --probe-filter REGEX
  std::optional<metrics::ListenAddress> metrics; // --metrics [ADDR:]PORT
  std::string metrics_prefix = "sonde";          // --metrics-prefix
  bool info = false;                             // --info
  RunMode mode = RunMode::Trace;                 // --mode test|bench, --test, --bench
  // --no-feature: kernel features sonde acts as if the kernel lacked
  // (uprobe_multi; kprobe_multi and kprobe_session are accepted, unused).
  std::vector<std::string> disabled_features;
  bool usdt_file_activation = false;    // --usdt-file-activation
  std::string traceable_functions_path; // --traceable-functions FILE
  bool help = false;
  bool version = false;
};

// Parses argv. On a usage error returns nothing and sets `error` to a line
// for the user.
std::optional<Options> parse_options(int argc, char **argv, std::string &error);

// The text of `sonde -h`.
std::string usage();

} // namespace sonde::cli
