#include "cli/options.h"

#include <getopt.h>

#include <algorithm>
#include <cstdlib>

namespace sonde::cli {

namespace {

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
};

const option kLongOptions[] = {
    {"unsafe", no_argument, nullptr, kUnsafe},
    {"include", required_argument, nullptr, kInclude},
    {"emit", required_argument, nullptr, kEmit},
    {"verify", no_argument, nullptr, kVerify},
    {"dry-run", no_argument, nullptr, kDryRun},
    {"help", no_argument, nullptr, kHelp},
    {"version", no_argument, nullptr, kVersion},
    {"map", required_argument, nullptr, kMap},
    {"info", no_argument, nullptr, kInfo},
    {nullptr, 0, nullptr, 0},
};

const char *const kDebugStages[] = {"ast",       "codegen", "codegen-opt", "dis",
                                    "libbpf",    "verifier", "all"};

bool one_of(const std::string &value, std::initializer_list<const char *> choices) {
  return std::any_of(choices.begin(), choices.end(), [&](const char *c) { return value == c; });
}

} // namespace

std::string usage() {
  return R"(USAGE:
    sonde [options] FILE [ARGS...]          (FILE - reads standard input)
    sonde [options] -e 'PROGRAM' [ARGS...]
    sonde -l [-v] [PATTERN]

OPTIONS:
    -e PROGRAM           run PROGRAM (named "stdin" in messages)
    -l [PATTERN]         list probes matching PATTERN, or a script's probes
    -v                   verbose: load/attach detail; with -l, argument types
    -q                   quiet: no "Attached N probes"
    -p PID               trace process PID only; exit when it exits
    -c 'CMD'             run CMD, trace until it exits (cpid is its pid)
    -o FILE              write output to FILE
    -f text|json         output format (default text)
    -B line|full|none    output buffering (default line)
    -I DIR               add DIR to the C header search path
    --include FILE       include FILE before the script
    -d STAGE             debug output on stderr: ast, codegen, codegen-opt,
                         dis, libbpf, verifier, all
    --emit ast|llvm|elf  print that stage and exit (elf: to -o FILE)
    --verify             load every program into the verifier, print statistics
    --dry-run            attach every probe, then exit
    -k                   report failing helpers at their source location
    --map @NAME=FILE     fill map @NAME from a JSON file before begin runs
    --unsafe             allow system(), signal() and override()
    --info               what this kernel supports, and why not
    -h, --help           this help
    -V, --version        the version

ARGS after the script are $1, $2, ... ($# counts them).
See man sonde for the language and every probe, builtin and function.
)";
}

std::optional<Options> parse_options(int argc, char **argv, std::string &error) {
  Options opts;
  bool have_program = false;
  bool have_pattern = false;
  optind = 1;
  opterr = 0;
  // '+': stop at the first non-option, so the script's arguments stay its own.
  while (true) {
    int c = getopt_long(argc, argv, "+e:lvqp:c:o:f:B:I:d:khV", kLongOptions, nullptr);
    if (c == -1) {
      // -l takes an optional pattern: the next word, when it is not a
      // script. Options may follow it (`-l 'uprobe:*' -p PID`).
      std::string word = optind < argc ? argv[optind] : "";
      if (opts.list && !have_program && !have_pattern && optind < argc &&
          (word.size() < 3 || word.substr(word.size() - 3) != ".bt")) {
        opts.list_pattern = word;
        have_pattern = true;
        optind++;
        continue;
      }
      break;
    }
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
      char *end = nullptr;
      long pid = std::strtol(optarg, &end, 10);
      if (*end != '\0' || pid <= 0) {
        error = "-p expects a process id, got '" + std::string(optarg) + "'";
        return std::nullopt;
      }
      opts.pid = static_cast<int>(pid);
      break;
    }
    case 'c':
      opts.child_command = optarg;
      break;
    case 'o':
      opts.output_path = optarg;
      break;
    case 'f':
      opts.format = optarg;
      if (!one_of(opts.format, {"text", "json"})) {
        error = "-f expects text or json, got '" + opts.format + "'";
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
      std::string name = optopt ? std::string("-") + static_cast<char>(optopt)
                                : std::string(argv[optind - 1]);
      bool missing = optopt && std::string("epcofBId").find(static_cast<char>(optopt)) !=
                                   std::string::npos;
      error = missing ? "option " + name + " needs an argument" : "unknown option " + name;
      return std::nullopt;
    }
    }
  }
  int i = optind;
  if (!have_program && i < argc && !(opts.list && opts.list_pattern.size()))
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
