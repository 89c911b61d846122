#include "cli/options.h"

#include "metrics/exposition.h"

#include <getopt.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <regex>

namespace sonde::cli {

namespace {

// The largest pid Linux hands out (PID_MAX_LIMIT on 64-bit machines).
constexpr long long kMaxPid = 4194304;

enum LongOnly {
  kUnsafe = 256,
  kInclude,
  kEmit,
  kVerify,
  kDryRun,
  kHelp,
  kVersion,
  kMap,
  kInfo,
  kNoWarnings,
  kProbeFilter,
  kMetrics,
  kMetricsPrefix,
  kAot,
  kDebuginfo,
  kMode,
  kTest,
  kBench,
  kNoFeature,
  kUsdtFileActivation,
  kTraceableFunctions,
  kEmitElf,
  kEmitLlvm,
  kVerifyLlvmIr,
  kFmt,
  kDwarfPid,
};

const option kLongOptions[] = {
    {"unsafe", no_argument, nullptr, kUnsafe},
    {"include", required_argument, nullptr, kInclude},
    {"emit", required_argument, nullptr, kEmit},
    {"fmt", required_argument, nullptr, kFmt},
    {"verify", no_argument, nullptr, kVerify},
    {"dry-run", no_argument, nullptr, kDryRun},
    {"help", no_argument, nullptr, kHelp},
    {"version", no_argument, nullptr, kVersion},
    {"map", required_argument, nullptr, kMap},
    {"info", no_argument, nullptr, kInfo},
    {"no-warnings", no_argument, nullptr, kNoWarnings},
    {"probe-filter", required_argument, nullptr, kProbeFilter},
    {"debuginfo", required_argument, nullptr, kDebuginfo},
    {"metrics", required_argument, nullptr, kMetrics},
    {"metrics-prefix", required_argument, nullptr, kMetricsPrefix},
    {"aot", required_argument, nullptr, kAot},
    {"mode", required_argument, nullptr, kMode},
    {"test", no_argument, nullptr, kTest},
    {"bench", no_argument, nullptr, kBench},
    {"no-feature", required_argument, nullptr, kNoFeature},
    {"usdt-file-activation", no_argument, nullptr, kUsdtFileActivation},
    {"traceable-functions", required_argument, nullptr, kTraceableFunctions},
    {"dwarf-pid", required_argument, nullptr, kDwarfPid},
    {"emit-elf", required_argument, nullptr, kEmitElf},
    {"emit-llvm", required_argument, nullptr, kEmitLlvm},
    {"verify-llvm-ir", no_argument, nullptr, kVerifyLlvmIr},
    {"verbose", no_argument, nullptr, 'v'},
    {"quiet", no_argument, nullptr, 'q'},
    {"warnings", no_argument, nullptr, 'k'},
    {"debug", required_argument, nullptr, 'd'},
    {"list", no_argument, nullptr, 'l'},
    {"pid", required_argument, nullptr, 'p'},
    {"cmd", required_argument, nullptr, 'c'},
    {"output", required_argument, nullptr, 'o'},
    {nullptr, 0, nullptr, 0},
};

const char *const kDebugStages[] = {"ast",    "codegen",  "codegen-opt", "dis",
                                    "libbpf", "verifier", "all"};

const char *const kFeatures[] = {"kprobe_multi", "kprobe_session", "uprobe_multi"};

// A pid argument, in bpftrace's words when it is not one.
std::optional<int> parse_pid(const std::string &text, std::string &error) {
  errno = 0;
  char *end = nullptr;
  long long pid = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0])) || *end != '\0') {
    error = "Failed to parse pid: pid '" + text + "' is not a valid decimal number";
    return std::nullopt;
  }
  if (errno == ERANGE || pid < 1 || pid > kMaxPid) {
    error = "Failed to parse pid: pid '" + text + "' out of valid pid range [1," +
            std::to_string(kMaxPid) + "]";
    return std::nullopt;
  }
  return static_cast<int>(pid);
}

bool one_of(const std::string &value, std::initializer_list<const char *> choices) {
  return std::any_of(choices.begin(), choices.end(), [&](const char *c) { return value == c; });
}

} // namespace

std::string usage() {
  return R"(USAGE:
    sonde [options] FILE [ARGS...]          (FILE - reads standard input)
    sonde [options] -e 'PROGRAM' [ARGS...]
    sonde -l [-v] [PATTERN]
    sonde [options] ARTIFACT [ARGS...]      (written by --aot; as sonde-run)

OPTIONS:
    -e PROGRAM           run PROGRAM (named "stdin" in messages)
    -l, --list [PATTERN] list probes matching PATTERN, or a script's probes
    -v, --verbose        verbose: load/attach detail; with -l, argument types
    -q, --quiet          quiet: no "Attached N probes"
    -p, --pid PID        trace process PID only; exit when it exits
    -c, --cmd 'CMD'      run CMD, trace until it exits (cpid is its pid)
    --dwarf-pid PID      dw_ustack also unwinds the code PID maps
    -o, --output FILE    write output to FILE
    -f text|json         output format (default text)
    -B line|full|none    output buffering (default line)
    -I DIR               add DIR to the C header search path
    --include FILE       include FILE before the script
    -d, --debug STAGE    debug output on stderr: ast, codegen, codegen-opt,
                         dis, libbpf, verifier, all
    --emit ast|llvm|elf  print that stage and exit (elf: to -o FILE)
    --fmt FILE           print FILE (- for stdin) in the standard layout, exit
    --emit-elf FILE      write the BPF object to FILE and exit
    --emit-llvm FILE     also write the LLVM IR to FILE.original.ll and
                         FILE.optimized.ll
    --verify-llvm-ir     check the LLVM IR (sonde always does)
    --aot FILE           compile to the artifact FILE (run it with sonde-run)
    --verify             load every program into the verifier, print statistics
    --dry-run            attach every probe, then exit
    -k, --warnings       report failing helpers at their source location
    --mode test|bench    run the script's test:NAME probes and report each,
                         or time its bench:NAME probes (--test, --bench)
    --map @NAME=FILE     fill map @NAME from a JSON file before begin runs
    --unsafe             allow system(), signal() and override()
    --probe-filter REGEX only the probes whose name REGEX finds (and begin, end)
    --no-warnings        no warning messages
    --no-feature F[,F]   act as if the kernel lacked F: uprobe_multi
                         (kprobe_multi, kprobe_session: accepted, unused)
    --usdt-file-activation
                         count up usdt semaphores of the binary wherever it
                         is mapped, not only in -p/-c's process
    --traceable-functions FILE
                         kprobe targets from FILE, not available_filter_functions
    --debuginfo DIR[:DIR]
                         also look for separate debug files in DIR (relative
                         to the traced binary unless absolute)
    --metrics [ADDR:]PORT
                         serve the maps as Prometheus metrics at
                         http://ADDR:PORT/metrics (ADDR 127.0.0.1 by default)
    --metrics-prefix P   metric names start with P_ (default sonde)
    --info               what this kernel supports, and why not
    -h, --help           this help
    -V, --version        the version

Options may also follow the script. ARGS after the script, and every word
after --, are $1, $2, ... ($# counts them); --NAME[=VALUE] words after --
are named parameters for getopt().
See man sonde for the language and every probe, builtin and function.
)";
}

std::optional<Options> parse_options(int argc, char **argv, std::string &error) {
  Options opts;
  bool have_program = false;
  optind = 1;
  opterr = 0;
  // Options may come anywhere (`sonde script.bt -c CMD`); the words that are
  // not options, and every word after `--`, are the script (or -l's pattern)
  // and its arguments.
  while (true) {
    // The leading ':' makes a missing argument ':' rather than '?'.
    int c = getopt_long(argc, argv, ":e:lvqp:c:o:f:B:I:d:khV", kLongOptions, nullptr);
    if (c == -1)
      break;
    switch (c) {
    case 'e':
      opts.program_text = optarg;
      have_program = true;
      break;
    case 'l':
      opts.list = true;
      break;
    case 'v':
      opts.verbose = true;
      break;
    case 'q':
      opts.quiet = true;
      break;
    case 'p': {
      auto pid = parse_pid(optarg, error);
      if (!pid)
        return std::nullopt;
      opts.pid = *pid;
      break;
    }
    case 'c':
      opts.child_command = optarg;
      if (opts.child_command.find_first_not_of(" \t\n") == std::string::npos) {
        error = "-c expects a command to run, got '" + opts.child_command + "'";
        return std::nullopt;
      }
      break;
    case 'o':
      opts.output_path = optarg;
      break;
    case 'f':
      opts.format = optarg;
      if (!one_of(opts.format, {"text", "json"})) {
        error = "Invalid output format \"" + opts.format + "\"";
        return std::nullopt;
      }
      break;
    case 'B':
      opts.buffering = optarg;
      if (!one_of(opts.buffering, {"line", "full", "none"})) {
        error = "-B expects line, full or none, got '" + opts.buffering + "'";
        return std::nullopt;
      }
      break;
    case 'I':
      opts.include_dirs.push_back(optarg);
      break;
    case kInclude:
      opts.includes.push_back(optarg);
      break;
    case 'd': {
      std::string stage = optarg;
      if (std::none_of(std::begin(kDebugStages), std::end(kDebugStages),
                       [&](const char *s) { return stage == s; })) {
        error = "-d expects one of ast, codegen, codegen-opt, dis, libbpf, verifier, all; got '" +
                stage + "'";
        return std::nullopt;
      }
      opts.debug_stages.push_back(stage);
      break;
    }
    case kEmit: {
      std::string stage = optarg;
      if (stage == "ast")
        opts.emit = Emit::Ast;
      else if (stage == "llvm")
        opts.emit = Emit::Llvm;
      else if (stage == "elf")
        opts.emit = Emit::Elf;
      else {
        error = "--emit expects ast, llvm or elf, got '" + stage + "'";
        return std::nullopt;
      }
      break;
    }
    case kAot:
      opts.aot_path = optarg;
      break;
    case kVerify:
      opts.verify = true;
      break;
    case kDryRun:
      opts.dry_run = true;
      break;
    case 'k':
      opts.helper_errors = true;
      break;
    case kUnsafe:
      opts.unsafe = true;
      break;
    case kMap: {
      std::string spec = optarg;
      size_t eq = spec.find('=');
      if (spec.empty() || spec[0] != '@' || eq == std::string::npos || eq + 1 == spec.size()) {
        error = "--map expects @name=FILE, got '" + spec + "'";
        return std::nullopt;
      }
      opts.map_files.emplace_back(spec.substr(0, eq), spec.substr(eq + 1));
      break;
    }
    case kNoWarnings:
      opts.no_warnings = true;
      break;
    case kDebuginfo: {
      std::string list = optarg;
      for (size_t start = 0, end; start <= list.size(); start = end + 1) {
        end = std::min(list.find(':', start), list.size());
        if (end > start)
          opts.debug_directories.push_back(list.substr(start, end - start));
      }
      break;
    }
    case kProbeFilter:
      try {
        std::regex check(optarg);
      } catch (const std::regex_error &e) {
        error = "--probe-filter expects a regular expression, got '" + std::string(optarg) +
                "': " + e.what();
        return std::nullopt;
      }
      opts.probe_filter = optarg;
      break;
    case kMetrics: {
      auto address = metrics::parse_listen_address(optarg);
      if (!address) {
        error = address.error();
        return std::nullopt;
      }
      opts.metrics = *address;
      break;
    }
    case kMetricsPrefix:
      opts.metrics_prefix = optarg;
      if (!opts.metrics_prefix.empty() && !metrics::is_metric_name(opts.metrics_prefix)) {
        error = "--metrics-prefix expects a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), got '" +
                opts.metrics_prefix + "'";
        return std::nullopt;
      }
      break;
    case kMode:
    case kTest:
    case kBench: {
      std::string mode = c == kMode ? optarg : c == kTest ? "test" : "bench";
      std::string given = c == kMode ? "--mode" : "--" + mode;
      if (opts.mode != RunMode::Trace) {
        error = given + " conflicts with an earlier --mode, --test or --bench";
        return std::nullopt;
      }
      if (mode == "test")
        opts.mode = RunMode::Test;
      else if (mode == "bench")
        opts.mode = RunMode::Bench;
      else {
        error = "--mode expects test or bench, got '" + mode + "'";
        return std::nullopt;
      }
      break;
    }
    case kNoFeature: {
      std::string list = optarg;
      for (size_t start = 0, end; start <= list.size(); start = end + 1) {
        end = std::min(list.find(',', start), list.size());
        std::string feature = list.substr(start, end - start);
        if (std::none_of(std::begin(kFeatures), std::end(kFeatures),
                         [&](const char *f) { return feature == f; })) {
          error = "--no-feature expects kprobe_multi, kprobe_session or uprobe_multi, got '" +
                  feature + "'";
          return std::nullopt;
        }
        opts.disabled_features.push_back(feature);
      }
      break;
    }
    case kEmitElf:
      opts.emit = Emit::Elf;
      opts.emit_elf_path = optarg;
      break;
    case kEmitLlvm:
      opts.emit_llvm_path = optarg;
      break;
    case kVerifyLlvmIr:
      break;
    case kFmt:
      opts.fmt = true;
      opts.script_path = optarg;
      have_program = true;
      break;
    case kUsdtFileActivation:
      opts.usdt_file_activation = true;
      break;
    case kDwarfPid: {
      auto pid = parse_pid(optarg, error);
      if (!pid)
        return std::nullopt;
      opts.dwarf_pids.push_back(*pid);
      break;
    }
    case kTraceableFunctions:
      opts.traceable_functions_path = optarg;
      break;
    case kInfo:
      opts.info = true;
      return opts;
    case 'h':
    case kHelp:
      opts.help = true;
      return opts;
    case 'V':
    case kVersion:
      opts.version = true;
      return opts;
    case ':':
    case '?':
    default: {
      // optopt is the short option's letter, or a long option's value.
      bool short_option = optopt > 0 && optopt < 128 && std::isalnum(optopt);
      std::string name = short_option ? std::string("-") + static_cast<char>(optopt)
                                      : std::string(argv[optind - 1]);
      error = c == ':' ? "option " + name + " needs an argument" : "unknown option " + name;
      return std::nullopt;
    }
    }
  }
  int i = optind;
  auto is_script = [](const std::string &word) {
    return word.size() >= 3 && word.substr(word.size() - 3) == ".bt";
  };
  if (opts.list && opts.program_text.empty() && i < argc && !is_script(argv[i]))
    opts.list_pattern = argv[i++];
  else if (!have_program && i < argc)
    opts.script_path = argv[i++];
  for (; i < argc; i++)
    opts.params.push_back(argv[i]);
  if (!have_program && opts.script_path.empty() && !opts.list) {
    error = "no program given: use -e 'PROGRAM' or a script file (sonde -h for help)";
    return std::nullopt;
  }
  return opts;
}

} // namespace sonde::cli
