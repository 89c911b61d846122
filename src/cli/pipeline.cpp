#include "cli/pipeline.h"

#include "cli/color.h"

#include "ast/printer.h"
#include "codegen/codegen.h"
#include "metrics/collector.h"
#include "metrics/locked_symbols.h"
#include "metrics/server.h"
#include "parser/parser.h"
#include "runtime/output/output.h"
#include "runtime/probes/attach_point.h"
#include "runtime/probes/catalog.h"
#include "runtime/probes/listing.h"
#include "runtime/session.h"
#include "runtime/symbols/system_symbols.h"
#include "sema/sema.h"
#include "system/elf_file.h"
#include "system/elf_symbols.h"
#include "system/kallsyms.h"

#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <regex>
#include <sstream>
#include <unistd.h>

namespace sonde::cli {

namespace {

std::string error_label() { return stderr_color() ? "\033[1;31mERROR:\033[0m " : "ERROR: "; }

bool wants(const Options &o, const std::string &stage) {
  return std::find(o.debug_stages.begin(), o.debug_stages.end(), stage) != o.debug_stages.end() ||
         std::find(o.debug_stages.begin(), o.debug_stages.end(), "all") != o.debug_stages.end();
}

std::optional<Source> read_source(const Options &o) {
  if (!o.program_text.empty() || o.script_path.empty())
    return Source{"stdin", o.program_text};
  if (o.script_path == "-") {
    std::string text(std::istreambuf_iterator<char>(std::cin), {});
    return Source{"stdin", text};
  }
  std::ifstream in(o.script_path);
  if (!in) {
    std::string reason = std::strerror(errno);
    std::cerr << error_label() << "cannot read " << o.script_path << ": " << reason << "\n";
    return std::nullopt;
  }
  return Source{o.script_path, std::string(std::istreambuf_iterator<char>(in), {})};
}

uint64_t clock_ns(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
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
    std::cerr << error_label() << "no probes match '" << pattern << "'\n";
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
      for (const auto &target : instance.targets)
        std::cout << target.spec << "\n";
  return 0;
}

// A runtime error that names a script line ("… at stdin:3: reason", from
// the verifier's line info) is shown like a compile error at that line, with
// the verifier's own lines under it.
void report_runtime_error(const std::string &message, const Source &source) {
  if (geteuid() != 0 && message.find("Operation not permitted") != std::string::npos) {
    std::cerr << error_label()
              << "loading BPF programs needs root (or CAP_BPF and CAP_PERFMON): run sonde as "
                 "root, e.g. with sudo\n";
    return;
  }
  static const std::regex located("^(.*): at (.+):([0-9]+): (.*)$");
  std::string first = message.substr(0, message.find('\n'));
  std::string rest = first.size() < message.size() ? message.substr(first.size() + 1) : "";
  std::smatch m;
  if (!std::regex_match(first, m, located) || m[2] != source.name) {
    std::cerr << error_label() << message << "\n";
    return;
  }
  ast::Location loc;
  loc.begin_line = loc.end_line = std::stoi(m[3]);
  std::istringstream lines(source.text);
  std::string line;
  for (int i = 0; i < loc.begin_line && std::getline(lines, line); i++)
    ;
  loc.end_col = static_cast<int>(line.size()) + 1;
  Diagnostics diags(source);
  diags.error(loc, m[1].str() + ": " + m[4].str());
  diags.render(std::cerr, stderr_color());
  if (!rest.empty())
    std::cerr << rest << "\n";
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

int write_elf(const CompiledScript &script, const Options &o) {
  if (o.output_path.empty()) {
    std::cerr << error_label() << "--emit elf writes the object to a file: give it with -o FILE\n";
    return 1;
  }
  std::ofstream out(o.output_path, std::ios::binary);
  out.write(reinterpret_cast<const char *>(script.elf.data()),
            static_cast<std::streamsize>(script.elf.size()));
  if (!out) {
    std::cerr << error_label() << "cannot write " << o.output_path << "\n";
    return 1;
  }
  return 0;
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
  return found ? std::optional(sema::SymbolInfo{found->address, found->size}) : std::nullopt;
}

// What --metrics reads of the session, from the server's thread; `session`
// is set once loaded, and the server starts only after that.
metrics::SessionReader session_reader(runtime::Session *const &session) {
  return {[&session](size_t map_index) { return session->map_entries(map_index); },
          [&session] { return session->lost_events(); },
          [&session] { return session->attached_probes(); }};
}

// Stops the metrics server before the session it reads goes away, however
// trace() returns.
struct StopServer {
  metrics::MetricsServer *server;
  ~StopServer() {
    if (server)
      server->stop();
  }
};

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

output::StackMode output_stack_mode(sema::StackMode mode) {
  switch (mode) {
  case sema::StackMode::Perf:
    return output::StackMode::Perf;
  case sema::StackMode::Raw:
    return output::StackMode::Raw;
  case sema::StackMode::Bpftrace:
    break;
  }
  return output::StackMode::Bpftrace;
}

int trace(const CompiledScript &script, const sema::TypedProgram &typed, const Options &o,
          const Source &source) {
  std::ofstream file;
  if (!o.output_path.empty()) {
    file.open(o.output_path);
    if (!file) {
      std::string reason = std::strerror(errno);
      std::cerr << error_label() << "cannot write " << o.output_path << ": " << reason << "\n";
      return 1;
    }
  }
  std::ostream &out = o.output_path.empty() ? std::cout : file;
  // "line" output is written after each batch of events the session reads
  // (one write per batch, not per line); "none" writes every piece at once.
  if (o.buffering == "none")
    out << std::unitbuf;

  // Bound before anything is loaded: a port in use stops the run here.
  std::unique_ptr<metrics::MetricsServer> metrics_server;
  if (o.metrics) {
    auto bound = metrics::MetricsServer::bind(*o.metrics);
    if (!bound) {
      std::cerr << error_label() << bound.error() << "\n";
      return 1;
    }
    metrics_server = std::move(*bound);
  }

  // Stack maps exist once the session has loaded the object.
  symbols::StackReader read_stack;
  auto stack_mode = output_stack_mode(typed.config.stack_mode);
  symbols::SystemSymbols system_symbols(
      script.probe_names, [&](uint64_t stack) { return read_stack(stack); }, stack_mode);
  if (!typed.config.cpp_demangle)
    system_symbols.keep_mangled_names();
  metrics::LockedSymbols symbols(system_symbols);
  output::ValueFormatter formatter(symbols, stack_mode, typed.config.str_trunc_trailer);
  auto format = o.format == "json" ? output::OutputFormat::Json : output::OutputFormat::Text;
  auto output = output::make_output(format, out, std::cerr, formatter);
  if (o.no_warnings)
    output->hide_warnings();

  runtime::SessionOptions session_options;
  session_options.child_command = o.child_command;
  session_options.print_maps_on_exit = typed.config.print_maps_on_exit;
  session_options.max_cat_bytes = typed.config.max_cat_bytes;
  session_options.unsafe = o.unsafe;
  session_options.echo_libbpf = wants(o, "libbpf");
  session_options.dry_run = o.dry_run;
  session_options.quiet = o.quiet;
  auto remember_process = [&](uint64_t pid) {
    auto held = symbols.lock();
    system_symbols.remember_process(pid);
  };
  if (!typed.config.lazy_symbolication)
    session_options.on_new_process = remember_process;
  runtime::Session *loaded = nullptr;
  metrics::Collector collector(script.maps, session_reader(loaded), formatter, o.metrics_prefix,
                               SONDE_VERSION);
  if (metrics_server)
    session_options.on_attached = [&] {
      metrics_server->start(
          [&](metrics::ExpositionFormat format) { return collector.scrape(format); });
    };
  if (o.pid)
    session_options.target_pid = *o.pid;
  for (const auto &[map, file] : o.map_files)
    session_options.preload.push_back({map, file});
  auto session = runtime::Session::load(script, *output, session_options);
  if (!session) {
    report_runtime_error(session.error(), source);
    return 1;
  }
  loaded = session->get();
  StopServer stop_server{metrics_server.get()};
  read_stack = symbols::stack_trace_reader({(*session)->map_fd(script.kernel_stack_map_elf_name),
                                            (*session)->map_fd(script.user_stack_map_elf_name)});
  if (o.pid && !typed.config.lazy_symbolication)
    remember_process(static_cast<uint64_t>(*o.pid));
  auto status = (*session)->run();
  if (!status) {
    std::cerr << error_label() << status.error() << "\n";
    return 1;
  }
  return *status;
}

} // namespace

int run(const Options &o) {
  system::set_debug_directories(o.debug_directories);
  if (o.list && o.program_text.empty() && o.script_path.empty())
    return list_pattern(o.list_pattern, o.verbose, o.pid);

  auto source = read_source(o);
  if (!source)
    return 1;
  Diagnostics diags(*source, !o.no_warnings);
  parser::ParseOptions parse_options;
  for (const auto &p : o.params)
    if (p.rfind("--", 0) != 0)
      parse_options.params.push_back(p);
  auto program = parser::parse(*source, diags, parse_options);
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
  if (o.list)
    return list_script(typed);

  codegen::CodegenOptions codegen_options;
  codegen_options.start_ns = clock_ns(CLOCK_MONOTONIC);
  if (o.pid)
    codegen_options.filter_pid = static_cast<uint32_t>(*o.pid);
  codegen_options.helper_errors = o.helper_errors;
  codegen_options.realtime_offset_ns =
      static_cast<int64_t>(clock_ns(CLOCK_REALTIME) - codegen_options.start_ns);
  codegen_options.ncpus = static_cast<uint64_t>(std::max(libbpf_num_possible_cpus(), 1));
  std::string ir_before, ir_after;
  if (wants(o, "codegen"))
    codegen_options.ir_before_opt = &ir_before;
  if (wants(o, "codegen-opt") || o.emit == Emit::Llvm)
    codegen_options.ir_after_opt = &ir_after;
  Diagnostics codegen_diags(*source, !o.no_warnings);
  auto script = codegen::compile(typed, codegen_options, codegen_diags);
  if (!script) {
    codegen_diags.render(std::cerr, stderr_color());
    return 1;
  }
  if (wants(o, "codegen"))
    std::cerr << ir_before;
  if (o.emit == Emit::Llvm) {
    std::cout << ir_after;
    return 0;
  }
  if (wants(o, "codegen-opt"))
    std::cerr << ir_after;
  if (o.emit == Emit::Elf)
    return write_elf(*script, o);
  if (o.verify)
    return verify(*script, o, *source);
  if (wants(o, "verifier"))
    if (int status = verify(*script, o, *source); status != 0)
      return status;
  if (!within_limits(*script, typed.config))
    return 1;
  return trace(*script, typed, o, *source);
}

} // namespace sonde::cli
