#include "cli/trace.h"

#include "cli/color.h"
#include "cli/metrics_endpoint.h"
#include "cli/slow_step_notice.h"

#include "common/fd_streambuf.h"
#include "metrics/locked_symbols.h"
#include "runtime/output/output.h"
#include "runtime/session.h"
#include "runtime/stop_signals.h"
#include "runtime/symbols/system_symbols.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <optional>
#include <regex>
#include <sstream>
#include <unistd.h>

namespace sonde::cli {

std::string error_label() { return stderr_color() ? "\033[1;31mERROR:\033[0m " : "ERROR: "; }

bool wants(const Options &o, const std::string &stage) {
  return std::find(o.debug_stages.begin(), o.debug_stages.end(), stage) != o.debug_stages.end() ||
         std::find(o.debug_stages.begin(), o.debug_stages.end(), "all") != o.debug_stages.end();
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

int trace(const CompiledScript &script, const RunSettings &settings, const Options &o,
          const Source &source) {
  std::optional<FdStreamBuf> file_buffer;
  if (!o.output_path.empty()) {
    int fd = open(o.output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
      std::string reason = std::strerror(errno);
      std::cerr << error_label() << "cannot write " << o.output_path << ": " << reason << "\n";
      return 1;
    }
    file_buffer.emplace(fd, true);
    file_buffer->give_up_interrupted_writes_when(runtime::stop_insisted);
  }
  std::ostream file(file_buffer ? &*file_buffer : nullptr);
  std::ostream &out = file_buffer ? file : std::cout;
  // "line" output is written after each batch of events the session reads
  // (one write per batch, not per line); "none" writes every piece at once.
  if (o.buffering == "none")
    out << std::unitbuf;

  // Stack maps exist once the session has loaded the object.
  symbols::StackReader read_stack;
  auto stack_mode = settings.stack_mode;
  symbols::SystemSymbols system_symbols(
      script.probe_names, [&](uint64_t stack) { return read_stack(stack); }, stack_mode);
  if (!settings.cpp_demangle)
    system_symbols.keep_mangled_names();
  if (!settings.show_debug_info)
    system_symbols.hide_debug_info();
  metrics::LockedSymbols symbols(system_symbols);
  output::ValueFormatter formatter(symbols, stack_mode, settings.str_trunc_trailer);
  auto format = o.format == "json" ? output::OutputFormat::Json : output::OutputFormat::Text;
  auto output = output::make_output(format, out, std::cerr, formatter);
  if (o.no_warnings)
    output->hide_warnings();
  output->use_color(file_buffer ? false : stdout_color());

  std::unique_ptr<MetricsEndpoint> bound_metrics;
  if (o.metrics) {
    auto bound = bind_metrics_endpoint(o, script, formatter);
    if (!bound) {
      std::cerr << error_label() << bound.error() << "\n";
      return 1;
    }
    bound_metrics = std::move(*bound);
  }

  runtime::SessionOptions session_options;
  session_options.child_command = o.child_command;
  session_options.print_maps_on_exit = settings.print_maps_on_exit;
  session_options.max_cat_bytes = settings.max_cat_bytes;
  session_options.unsafe = o.unsafe;
  session_options.echo_libbpf = wants(o, "libbpf");
  session_options.dry_run = o.dry_run;
  session_options.quiet = o.quiet;
  session_options.verbose = o.verbose;
  if (const char *btf = std::getenv("SONDE_BTF"))
    session_options.core_btf_path = btf;
  auto remember_process = [&](uint64_t pid) {
    auto held = symbols.lock();
    system_symbols.remember_process(pid);
  };
  if (!settings.lazy_symbolication)
    session_options.on_new_process = remember_process;
  runtime::Session *loaded = nullptr;
  if (MetricsEndpoint *endpoint = bound_metrics.get())
    session_options.on_attached = [endpoint, &loaded] { endpoint->start(*loaded); };
  if (o.pid)
    session_options.target_pid = *o.pid;
  session_options.dwarf_pids.assign(o.dwarf_pids.begin(), o.dwarf_pids.end());
  for (const auto &[map, file] : o.map_files)
    session_options.preload.push_back({map, file});
  auto session = [&] {
    SlowStepNotice notice("Loading " + std::to_string(script.programs.size()) +
                          (script.programs.size() == 1 ? " program" : " programs") +
                          " into the kernel verifier");
    return runtime::Session::load(script, *output, session_options);
  }();
  if (!session) {
    report_runtime_error(session.error(), source);
    return 1;
  }
  loaded = session->get();
  // Declared after the session, so that scrapes stop before it goes away.
  auto metrics_endpoint = std::move(bound_metrics);
  read_stack = symbols::stack_trace_reader({(*session)->map_fd(script.kernel_stack_map_elf_name),
                                            (*session)->map_fd(script.user_stack_map_elf_name),
                                            (*session)->map_fd(script.dwarf_stack_map_elf_name)});
  if (o.pid && !settings.lazy_symbolication)
    remember_process(static_cast<uint64_t>(*o.pid));
  auto status = (*session)->run();
  if (!status) {
    std::cerr << error_label() << status.error() << "\n";
    return 1;
  }
  // A failed write to stdout is reported by main().
  if (file_buffer && !file_buffer->close()) {
    std::cerr << error_label() << write_error_message(o.output_path, file_buffer->error()) << "\n";
    return *status != 0 ? *status : 1;
  }
  return *status;
}

} // namespace sonde::cli
