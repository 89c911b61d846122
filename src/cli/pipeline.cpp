#include "cli/pipeline.h"

#include "cli/aot.h"
#include "cli/color.h"
#include "cli/fmt_command.h"
#include "cli/slow_step_notice.h"
#include "cli/trace.h"

#include "artifact/artifact.h"
#include "ast/printer.h"
#include "codegen/codegen.h"
#include "codegen/disassembler.h"
#include "common/fd_streambuf.h"
#include "common/probe_kind.h"
#include "parser/imports.h"
#include "parser/parser.h"
#include "runner/run_artifact.h"
#include "runtime/probes/attach_point.h"
#include "runtime/probes/catalog.h"
#include "runtime/probes/listing.h"
#include "runtime/probes/tracefs_access.h"
#include "runtime/session.h"
#include "sema/named_params.h"
#include "sema/sema.h"
#include "system/binary_path.h"
#include "system/elf_file.h"
#include "system/elf_symbols.h"
#include "system/kallsyms.h"
#include "system/kernel_functions.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <regex>
#include <unistd.h>

namespace sonde::cli {

namespace {

// The whole of `fd`; 0, or the errno of the failed read (EISDIR for a
// directory).
int read_all(int fd, std::string &text) {
  char chunk[65536];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n == 0)
      return 0;
    if (n > 0)
      text.append(chunk, static_cast<size_t>(n));
    else if (errno != EINTR)
      return errno;
  }
}

std::optional<Source> read_source(const Options &o) {
  if (!o.program_text.empty() || o.script_path.empty())
    return Source{"stdin", o.program_text};
  bool from_stdin = o.script_path == "-";
  int fd = from_stdin ? STDIN_FILENO : open(o.script_path.c_str(), O_RDONLY | O_CLOEXEC);
  std::string text;
  int error = fd < 0 ? errno : read_all(fd, text);
  if (fd >= 0 && !from_stdin)
    close(fd);
  if (fd < 0) {
    std::cerr << error_label() << "failed to open file '" << o.script_path
              << "': " << std::strerror(error) << "\n";
    return std::nullopt;
  }
  if (error != 0) {
    std::cerr << error_label() << "cannot read " << (from_stdin ? "stdin" : o.script_path) << ": "
              << std::strerror(error) << "\n";
    return std::nullopt;
  }
  return Source{from_stdin ? "stdin" : o.script_path, std::move(text)};
}

// `a,b` lists the probes of each pattern in turn; a comma inside quotes
// ("f(int, char)") is part of its pattern.
std::vector<std::string> split_patterns(const std::string &patterns) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (char c : patterns) {
    if (c == '"')
      quoted = !quoted;
    if (c == ',' && !quoted)
      parts.emplace_back();
    else
      parts.back() += c;
  }
  return parts;
}

// With a pid, the process's own uprobes and usdt probes (listing.h).
int list_pattern(const std::string &pattern, bool verbose, std::optional<int> pid) {
  if (pid && kill(*pid, 0) != 0 && errno == ESRCH) {
    std::cerr << error_label() << "cannot list the probes of process " << *pid
              << ": no such process\n";
    return 1;
  }
  std::vector<probes::ListedProbe> matches;
  for (const std::string &one : split_patterns(pattern.empty() ? "*" : pattern))
    for (auto &match : probes::list_probes(one, verbose, pid))
      matches.push_back(std::move(match));
  if (matches.empty()) {
    std::string why = probes::tracefs_needs_root();
    std::cerr << error_label() << "no probes match '" << pattern << "'"
              << (why.empty() ? "" : ": " + why) << "\n";
    return 1;
  }
  for (const auto &m : matches) {
    std::cout << m.text << "\n";
    for (const auto &line : m.details)
      std::cout << line << "\n";
  }
  return 0;
}

int list_script(const sema::TypedProgram &typed) {
  for (const auto &probe : typed.probes)
    for (const auto &instance : probe.instances)
      for (const auto &target : instance.targets) {
        const ProbeKind *kind = find_probe_kind(target.provider);
        if (kind && kind->listed_without_count && target.fields.size() == 2)
          std::cout << target.provider << ":" << target.fields[0] << ":\n";
        else
          std::cout << target.spec << "\n";
      }
  return 0;
}

// `--verify` prints each program's statistics on stdout; `-d verifier`
// prints each program's whole verifier log on stderr.
int verify(const CompiledScript &script, const Options &o, const Source &source) {
  bool full_log = wants(o, "verifier");
  auto stats = runtime::verify(script, wants(o, "libbpf"), full_log);
  if (!stats) {
    report_runtime_error(stats.error(), source);
    return 1;
  }
  if (full_log) {
    for (const auto &s : *stats)
      std::cerr << "; " << s.probe << " (" << s.function_name << ")\n" << s.verifier_stats << "\n";
    if (!o.verify)
      return 0;
  }
  for (const auto &s : *stats) {
    std::cout << s.probe << ": " << s.instructions << " instructions";
    if (!s.verifier_stats.empty())
      std::cout << "; " << s.verifier_stats;
    std::cout << "\n";
  }
  return 0;
}

// `text` into the file `path`; false, with an error, when it cannot be written.
bool write_file(const std::string &path, const char *text, size_t size) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    std::string reason = std::strerror(errno);
    std::cerr << error_label() << "cannot write " << path << ": " << reason << "\n";
    return false;
  }
  FdStreamBuf out(fd, true);
  out.sputn(text, static_cast<std::streamsize>(size));
  if (!out.close()) {
    std::cerr << error_label() << write_error_message(path, out.error()) << "\n";
    return false;
  }
  return true;
}

int write_elf(const CompiledScript &script, const Options &o) {
  const std::string &path = o.emit_elf_path.empty() ? o.output_path : o.emit_elf_path;
  if (path.empty()) {
    std::cerr << error_label() << "--emit elf writes the object to a file: give it with -o FILE\n";
    return 1;
  }
  return write_file(path, reinterpret_cast<const char *>(script.elf.data()), script.elf.size()) ? 0
                                                                                                : 1;
}

// kaddr() and uaddr(): kallsyms, or the functions and data objects of the
// probed binary.
std::optional<sema::SymbolInfo> resolve_symbol(const std::string &symbol,
                                               const std::string &binary) {
  if (binary.empty()) {
    auto address = system::Kallsyms::get().address_of(symbol);
    return address ? std::optional(sema::SymbolInfo{*address, 0}) : std::nullopt;
  }
  auto symbols = system::ElfSymbols::read(binary);
  if (!symbols)
    return std::nullopt;
  const system::ElfSymbol *found = (*symbols)->function(symbol);
  if (!found)
    found = (*symbols)->object(symbol);
  return found ? std::optional(
                     sema::SymbolInfo{found->address, found->size, (*symbols)->load_relative()})
               : std::nullopt;
}

// config `max_probes`: every attach target counts, begin and end included;
// `max_bpf_progs`: every program.
bool within_limits(const CompiledScript &script, const sema::Config &config) {
  if (script.programs.size() > config.max_bpf_progs) {
    std::cerr << error_label() << "Your program is trying to generate " << script.programs.size()
              << " BPF programs, which exceeds the current limit of " << config.max_bpf_progs
              << ".\nRaise config max_bpf_progs (or "
                 "BPFTRACE_MAX_BPF_PROGS) to allow it.\n";
    return false;
  }
  uint64_t max_probes = config.max_probes;
  uint64_t probes = 0;
  for (const ProgramInfo &program : script.programs)
    probes += program.probe_count();
  if (probes <= max_probes)
    return true;
  std::cerr << error_label() << "Can't attach to " << probes
            << " probes because it exceeds the current limit of " << max_probes
            << " probes.\nRaise config max_probes (or BPFTRACE_MAX_PROBES) with care: many "
               "attached probes can slow down or crash the system.\n";
  return false;
}

// `-- --help`: the named options the program's getopt() calls read.
void print_program_options(const std::vector<sema::NamedOption> &options) {
  if (options.empty()) {
    std::cout << "The program reads no named options (getopt()).\n";
    return;
  }
  std::cout << "Program options:\n";
  for (const auto &option : options) {
    std::string flag =
        "--" + option.name + (option.value_kind.empty() ? "" : "=" + option.value_kind);
    std::string text = option.description.empty() ? "" : option.description + " ";
    std::cout << "    " << flag << std::string(flag.size() < 24 ? 24 - flag.size() : 1, ' ') << text
              << "(default: " << option.default_value << ")\n";
  }
}

// `--help` after `--` lists the program's options, unless the program reads
// an option of that name itself.
bool answers_program_help(ast::Program &program, const std::vector<std::string> &params) {
  if (std::find(params.begin(), params.end(), "--help") == params.end())
    return false;
  auto options = sema::named_param_use(program, {}).read;
  if (std::any_of(options.begin(), options.end(),
                  [](const sema::NamedOption &o) { return o.name == "help"; }))
    return false;
  print_program_options(options);
  return true;
}

// Every named parameter must be read by a getopt() call: a misspelt one would
// otherwise be dropped without a word.
bool named_params_read(ast::Program &program, const std::vector<std::string> &params) {
  auto use = sema::named_param_use(program, params);
  if (use.unread.empty())
    return true;
  auto options = [](const std::vector<sema::NamedOption> &read) {
    std::string text;
    for (const auto &option : read)
      text += (text.empty() ? "--" : ", --") + option.name;
    return text;
  };
  auto unread = [](const std::vector<std::string> &names) {
    std::string text;
    for (const auto &name : names)
      text += (text.empty() ? "--" : ", --") + name;
    return text;
  };
  std::cerr << error_label() << "unexpected program command line options: " << unread(use.unread)
            << "\n";
  std::cerr << "HINT: "
            << (use.read.empty() ? "the program reads no named options (getopt())"
                                 : "expected program options: " + options(use.read))
            << "\n";
  return false;
}

} // namespace

int run(const Options &o) {
  system::set_debug_directories(o.debug_directories);
  if (o.pid)
    system::set_target_process(static_cast<int>(*o.pid));
  if (!o.traceable_functions_path.empty())
    if (Status status = system::use_traceable_functions_file(o.traceable_functions_path); !status) {
      std::cerr << error_label() << status.error() << "\n";
      return 1;
    }
  if (o.list && o.program_text.empty() && o.script_path.empty())
    return list_pattern(o.list_pattern, o.verbose, o.pid);
  // `-l name.bt` of a file that is not there: a pattern after all.
  if (o.list && o.program_text.empty() && o.script_path != "-" &&
      access(o.script_path.c_str(), F_OK) != 0) {
    std::cerr << (stderr_color() ? "\033[1;35mWARNING:\033[0m " : "WARNING: ")
              << "It appears that '" << o.script_path
              << "' is a filename but the file does not exist. Treating '" << o.script_path
              << "' as a search pattern.\n";
    return list_pattern(o.script_path, o.verbose, o.pid);
  }

  if (o.fmt) {
    auto source = read_source(o);
    return source ? format_source(*source, o.params) : 1;
  }
  if (!o.script_path.empty() && o.script_path != "-" && artifact::is_artifact(o.script_path))
    return runner::run_artifact(o);
  auto source = read_source(o);
  if (!source)
    return 1;
  Diagnostics diags(*source, !o.no_warnings);
  parser::ParseOptions parse_options;
  for (const auto &p : o.params)
    if (p.rfind("--", 0) != 0)
      parse_options.params.push_back(p);
  auto program = parser::parse(*source, diags, parse_options);
  if (program)
    parser::resolve_imports(*program, o.program_text.empty() ? o.script_path : "", diags,
                            parse_options);
  if (!program || diags.has_errors()) {
    diags.render(std::cerr, stderr_color());
    return 1;
  }
  if (o.emit == Emit::Ast || wants(o, "ast")) {
    ast::print(*program, o.emit == Emit::Ast ? std::cout : std::cerr);
    if (o.emit == Emit::Ast) {
      diags.render(std::cerr, stderr_color());
      return 0;
    }
  }

  probes::ProviderCatalog catalog(o.pid ? std::optional<pid_t>(*o.pid) : std::nullopt);
  sema::SemaOptions sema_options;
  // Words after the script: `--name[=value]` ones are named parameters for
  // getopt(), the others positional ($1 …).
  for (const auto &p : o.params)
    (p.rfind("--", 0) == 0 ? sema_options.named_params : sema_options.params).push_back(p);
  sema_options.unsafe = o.unsafe;
  if (o.probe_filter)
    sema_options.probe_filter = std::regex(*o.probe_filter);
  sema_options.has_child = !o.child_command.empty();
  sema_options.mode = o.mode;
  sema_options.resolve_symbol = resolve_symbol;
  sema_options.includes.include_dirs = o.include_dirs;
  sema_options.includes.forced_includes = o.includes;
  for (const auto &[map, file] : o.map_files)
    sema_options.preloaded_maps.push_back(map);
  sema::TypedProgram typed;
  bool ok = sema::analyse(*program, sema_options, catalog, diags, typed);
  diags.render(std::cerr, stderr_color());
  if (!ok)
    return 1;
  if (!o.list && answers_program_help(*program, sema_options.named_params))
    return 0;
  if (!o.list && !named_params_read(*program, sema_options.named_params))
    return 1;
  if (o.list)
    return list_script(typed);

  codegen::CodegenOptions codegen_options;
  codegen_options.helper_errors = o.helper_errors;
  codegen_options.core_relocations = !o.aot_path.empty();
  std::string ir_before, ir_after;
  if (wants(o, "codegen") || !o.emit_llvm_path.empty())
    codegen_options.ir_before_opt = &ir_before;
  if (wants(o, "codegen-opt") || o.emit == Emit::Llvm || !o.emit_llvm_path.empty())
    codegen_options.ir_after_opt = &ir_after;
  Diagnostics codegen_diags = diags.with_same_sources(!o.no_warnings);
  auto script = [&] {
    size_t probes = typed.probes.size();
    SlowStepNotice notice("Compiling " + std::to_string(probes) +
                          (probes == 1 ? " probe" : " probes"));
    return codegen::compile(typed, codegen_options, codegen_diags);
  }();
  if (!script) {
    codegen_diags.render(std::cerr, stderr_color());
    return 1;
  }
  if (wants(o, "codegen"))
    std::cerr << ir_before;
  if (!o.emit_llvm_path.empty() &&
      (!write_file(o.emit_llvm_path + ".original.ll", ir_before.data(), ir_before.size()) ||
       !write_file(o.emit_llvm_path + ".optimized.ll", ir_after.data(), ir_after.size())))
    return 1;
  if (o.emit == Emit::Llvm) {
    std::cout << ir_after;
    return 0;
  }
  if (wants(o, "codegen-opt"))
    std::cerr << ir_after;
  if (wants(o, "dis"))
    std::cerr << codegen::disassemble(*script);
  if (o.emit == Emit::Elf)
    return write_elf(*script, o);
  if (!within_limits(*script, typed.config))
    return 1;
  if (!o.aot_path.empty())
    return write_artifact(*script, typed, o, codegen_diags);
  if (o.verify)
    return verify(*script, o, *source);
  if (wants(o, "verifier"))
    if (int status = verify(*script, o, *source); status != 0)
      return status;
  return trace(*script, run_settings(typed.config), o, *source);
}

} // namespace sonde::cli
