#include "runtime/session.h"

#include "runtime/libbpf_log.h"
#include "runtime/output/printf_format.h"
#include "runtime/stop_signals.h"

#include <algorithm>
#include <array>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sonde::runtime {

namespace {

constexpr int kPollMilliseconds = 100;
constexpr int kFloodRecords = 64;
constexpr useconds_t kFloodPauseMicroseconds = 500;

constexpr uint64_t kProgressThreshold = 1000;

template <typename T> T read_scalar(const uint8_t *at) {
  T value;
  std::memcpy(&value, at, sizeof(value));
  return value;
}

// -k: what a failed helper means (in bpftrace's words), where it was called.
output::HelperError helper_error(const EventInfo &event, int64_t retcode) {
  output::HelperError e;
  e.helper = event.format;
  e.retcode = retcode;
  e.message =
      event.format == "map_lookup_elem"   ? "Can't lookup map element because it does not exist."
      : event.format == "map_delete_elem" ? "Can't delete map element because it does not exist."
      : event.format == "map_update_elem" && retcode == -E2BIG
          ? "Map full; can't update element."
          : std::strerror(static_cast<int>(-retcode));
  e.event = &event;
  return e;
}

std::string probe_of(const ProgramInfo &info) {
  return info.targets.empty() ? info.provider : info.targets.front().spec;
}

} // namespace

Expected<std::unique_ptr<Session>>
Session::load(const CompiledScript &script, output::Output &output, const SessionOptions &options) {
  auto object = BpfObject::open(script, options.core_btf_path);
  if (!object)
    return error(object.error());
  std::unique_ptr<Session> session(new Session(script, output, options, std::move(*object)));
  if (Status status = session->prepare(); !status)
    return error(status.error());
  return session;
}

Session::Session(const CompiledScript &script, output::Output &output,
                 const SessionOptions &options, BpfObject object)
    : script_(script), output_(output), options_(options), object_(std::move(object)) {}

Session::~Session() {
  links_.clear();
  if (ring_)
    ring_buffer__free(ring_);
}

std::optional<pid_t> Session::child_pid() const {
  if (!child_)
    return std::nullopt;
  return child_->pid();
}

int Session::map_fd(const std::string &elf_name) const {
  const bpf_map *map = elf_name.empty() ? nullptr : object_.map(elf_name);
  return map ? bpf_map__fd(map) : -1;
}

Status Session::set_load_time_values() {
  auto now = [](clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
  };
  uint64_t start_ns = now(CLOCK_MONOTONIC);
  // The initial pid namespace's inode is fixed (PROC_PID_INIT_INO): there,
  // pid and tid need no translation, and the programs are told so by 0.
  constexpr uint64_t kInitialPidNamespace = 0xEFFFFFFC;
  struct stat pidns {};
  if (stat("/proc/self/ns/pid", &pidns) != 0)
    return error(std::string("cannot read sonde's pid namespace: ") + std::strerror(errno));
  uint64_t pidns_ino = pidns.st_ino == kInitialPidNamespace ? 0 : pidns.st_ino;
  std::pair<const char *, uint64_t> values[] = {
      {load_time::kChildPid, child_ ? static_cast<uint64_t>(child_->pid()) : 0},
      {load_time::kFilterPid,
       options_.target_pid ? static_cast<uint64_t>(*options_.target_pid) : 0},
      {load_time::kStartNs, start_ns},
      {load_time::kRealtimeOffsetNs, now(CLOCK_REALTIME) - start_ns},
      {load_time::kNcpus, static_cast<uint64_t>(std::max(libbpf_num_possible_cpus(), 1))},
      {load_time::kPidNsDev, static_cast<uint64_t>(pidns.st_dev)},
      {load_time::kPidNsIno, pidns_ino},
  };
  for (const auto &[name, value] : values)
    if (Status status = object_.set_load_time(name, value); !status)
      return status;
  return {};
}

Expected<DwarfUnwindTables> Session::read_unwind_tables() {
  std::vector<pid_t> pids = options_.dwarf_pids;
  for (pid_t pid : pids)
    if (access(("/proc/" + std::to_string(pid)).c_str(), F_OK) != 0)
      return error("--dwarf-pid " + std::to_string(pid) + ": no such process");
  if (options_.target_pid)
    pids.push_back(*options_.target_pid);
  auto files = unwind_table_files(script_, child_ ? child_->program() : "", pids);
  return DwarfUnwindTables::read(files,
                                 [&](const std::string &message) { output_.warning(message); });
}

Status Session::prepare() {
  if (options_.target_pid) {
    auto target = TracedProcess::open(*options_.target_pid);
    if (!target)
      return error(target.error());
    target_.emplace(std::move(*target));
  }
  if (!options_.child_command.empty()) {
    auto child = Child::spawn(options_.child_command);
    if (!child)
      return error(child.error());
    child_.emplace(std::move(*child));
  }
  if (Status status = set_load_time_values(); !status)
    return status;
  if (!script_.dwarf_stack_map_elf_name.empty()) {
    auto tables = read_unwind_tables();
    if (!tables)
      return error(tables.error());
    if (Status status = tables->size_maps(object_, script_.dwarf_stack_map_entries); !status)
      return status;
    if (options_.verbose)
      std::fprintf(stderr, "dw_ustack: unwind tables of %zu files, %zu rows\n",
                   tables->file_count(), tables->row_count());
    unwind_tables_.emplace(std::move(*tables));
  }
  // -v: the verifier's summary of each program (BPF_LOG_STATS), in at most
  // log_size bytes (a smaller log_size fails the load, as in bpftrace).
  std::vector<std::string> logs;
  if (options_.verbose) {
    size_t log_size = std::min<uint64_t>(64 * 1024, script_.verifier_log_size);
    logs.assign(object_.programs().size(), std::string(log_size, '\0'));
    for (size_t i = 0; i < logs.size(); i++) {
      bpf_program__set_log_buf(object_.programs()[i].program, logs[i].data(), logs[i].size());
      bpf_program__set_log_level(object_.programs()[i].program, 4);
    }
  }
  if (Status status = object_.load(options_.echo_libbpf); !status) {
    if (!logs.empty() && status.error().find(std::strerror(ENOSPC)) != std::string::npos)
      output_.warning("Kernel log seems to be trimmed: the verifier's log of -v needs more than "
                      "log_size (" +
                      std::to_string(logs.front().size()) + " bytes); raise config log_size");
    return status;
  }
  report_verified(logs);
  if (unwind_tables_)
    if (Status status = unwind_tables_->fill_maps(object_); !status)
      return status;
  for (const MapInfo &info : script_.maps) {
    const bpf_map *map = object_.map(info.elf_name);
    if (!map)
      return error("the BPF object has no map '" + info.elf_name + "' for " + info.script_name);
    maps_.emplace_back(map);
    for (const auto &preload : options_.preload)
      if (preload.map == info.script_name)
        if (Status status = preload_map(info, map, preload.path); !status)
          return status;
  }
  if (!script_.lost_events_elf_name.empty()) {
    const bpf_map *lost = object_.map(script_.lost_events_elf_name);
    if (!lost)
      return error("the BPF object has no map '" + script_.lost_events_elf_name + "'");
    lost_events_.emplace(lost);
  }
  if (!script_.map_full_elf_name.empty()) {
    const bpf_map *full = object_.map(script_.map_full_elf_name);
    if (!full)
      return error("the BPF object has no map '" + script_.map_full_elf_name + "'");
    map_full_.emplace(full);
  }
  if (!script_.ringbuf_elf_name.empty()) {
    const bpf_map *events = object_.map(script_.ringbuf_elf_name);
    if (!events)
      return error("the BPF object has no map '" + script_.ringbuf_elf_name + "'");
    ring_ = ring_buffer__new(bpf_map__fd(events), on_record, this, nullptr);
    if (!ring_)
      return error(std::string("cannot read the event ring buffer: ") + std::strerror(errno));
  }
  if (ring_ && unwind_tables_ &&
      ring_buffer__add(ring_, unwind_tables_->requests_fd(), on_unwind_request, this) != 0)
    return error(std::string("cannot read dw_ustack's requests: ") + std::strerror(errno));
  return {};
}

// A process's status is 0 to 255: a code outside is taken modulo 256, with a
// warning, since exit(256) would otherwise look like success.
int Session::exit_status(int64_t code) {
  int status = static_cast<int>(static_cast<uint64_t>(code) & 0xff);
  if (code != status)
    output_.warning("exit(" + std::to_string(code) +
                    "): an exit code is 0 to 255; sonde exits with " + std::to_string(status) +
                    " (the code modulo 256)");
  return status;
}

Expected<int> Session::run() {
  StopSignals signals;
  if (Status status = run_programs(probes::Trigger::BeforeAttach); !status)
    return error(status.error());
  if (Status status = attach_all(); !status)
    return error(status.error());
  if (!options_.quiet)
    output_.attached_probes(attached_);
  if (options_.on_attached)
    options_.on_attached();
  if (child_)
    child_->release();
  // bpftrace's test harness waits for this line before it starts the
  // commands that trigger the probes; harnesses written for it work as is.
  if (std::getenv("__BPFTRACE_NOTIFY_PROBES_ATTACHED")) {
    output_.flush();
    std::fputs("__BPFTRACE_NOTIFY_PROBES_ATTACHED\n", stdout);
    std::fflush(stdout);
  }
  if (!options_.dry_run) {
    run_tests();
    if (Status status = run_benchmarks(); !status)
      return error(status.error());
  }
  if (!options_.dry_run && has_events_to_wait_for())
    event_loop();
  finish();
  // Everything collected is out before a -c child that is still running is
  // stopped (which can take a second), with the stop signals still caught.
  output_.flush();
  if (child_) {
    if (std::string how = child_->how_it_ended(); !how.empty())
      output_.note("the command (-c) " + how);
    child_->stop();
  }
  if (!dispatch_error_.empty())
    return error(dispatch_error_);
  return exit_code_;
}

Status Session::run_programs(probes::Trigger trigger) {
  for (const ObjectProgram &program : object_.programs()) {
    if (program.provider->trigger() != trigger)
      continue;
    // A raw-tracepoint test run takes up to 12 u64 arguments; none are read.
    // --dry-run loads begin and end but runs neither.
    std::array<uint64_t, 12> args{};
    LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args.data(), .ctx_size_in = sizeof(args));
    if (!options_.dry_run && bpf_prog_test_run_opts(bpf_program__fd(program.program), &opts) != 0)
      return error("cannot run the program of probe " + probe_of(*program.info) + ": " +
                   std::strerror(errno));
    attached_ += program.info->probe_count();
  }
  return {};
}

void Session::report_verified(const std::vector<std::string> &logs) const {
  for (size_t i = 0; i < logs.size(); i++) {
    const ObjectProgram &program = object_.programs()[i];
    std::string log(logs[i].c_str());
    for (char &c : log)
      if (c == '\n')
        c = ' ';
    while (!log.empty() && log.back() == ' ')
      log.pop_back();
    std::fprintf(stderr, "Loaded %s (%s): %zu instructions; %s\n", probe_of(*program.info).c_str(),
                 program.info->function_name.c_str(), bpf_program__insn_cnt(program.program),
                 log.c_str());
  }
}

Status Session::attach_all() {
  // A wildcard of thousands of probes shows its progress on a terminal.
  uint64_t total = 0, done = 0;
  for (const ObjectProgram &program : object_.programs())
    if (program.provider->trigger() == probes::Trigger::Attach)
      total += program.info->probe_count();
  bool progress = total >= kProgressThreshold && !options_.quiet && isatty(STDERR_FILENO);
  // Programs that share an attach point run in script order.
  std::vector<const ObjectProgram *> order;
  for (const ObjectProgram &program : object_.programs())
    if (!program.provider->runs_last_attached_first())
      order.push_back(&program);
  for (auto it = object_.programs().rbegin(); it != object_.programs().rend(); ++it)
    if (it->provider->runs_last_attached_first())
      order.push_back(&*it);
  for (const ObjectProgram *next : order) {
    const ObjectProgram &program = *next;
    if (program.provider->trigger() != probes::Trigger::Attach) {
      // begin programs were counted as they ran; end, test and bench ones
      // count as attached too.
      if (program.provider->trigger() != probes::Trigger::BeforeAttach)
        attached_ += program.info->probe_count();
      continue;
    }
    if (progress)
      std::fprintf(stderr, "\rAttaching probes: %lu/%lu", static_cast<unsigned long>(done),
                   static_cast<unsigned long>(total));
    size_t first_link = links_.size();
    auto attached =
        program.provider->attach(program.program, *program.info, attach_options(), links_);
    if (!attached) {
      links_.clear();
      if (progress)
        std::fputs("\r\033[K", stderr);
      return error(attached.error());
    }
    for (size_t i = 0; i < program.info->targets.size(); i++)
      if (auto address = program.provider->watched_address(program.info->targets[i]))
        watch_links_[*address].push_back(first_link + i);
    if (options_.verbose)
      for (const AttachTarget &target : program.info->targets)
        std::fprintf(stderr, "Attached %s\n", target.spec.c_str());
    // Targets the provider skipped (with a warning) are not counted.
    attached_ += program.info->probe_count() - (program.info->targets.size() - *attached);
    done += program.info->probe_count();
  }
  if (progress)
    std::fputs("\r\033[K", stderr);
  return {};
}

probes::AttachOptions Session::attach_options() const {
  probes::AttachOptions options;
  if (target_)
    options.pid = target_->pid();
  else if (child_)
    options.pid = child_->pid();
  options.warn = [this](const std::string &warning) { output_.warning(warning); };
  return options;
}

// A script of begin and end probes alone has nothing to wait for once begin
// has run (as in bpftrace 0.26), unless a -c command is being traced.
bool Session::has_events_to_wait_for() const {
  if (child_)
    return true;
  for (const ObjectProgram &program : object_.programs())
    if (program.provider->trigger() == probes::Trigger::Attach)
      return true;
  return false;
}

bool Session::should_stop() {
  return stop_requested() || exit_requested_ || output_.write_failed() ||
         (child_ && child_->exited()) || (target_ && target_->exited());
}

void Session::event_loop() {
  while (!should_stop()) {
    if (!ring_) {
      // No events to read: sleep until a signal or the child ends the run.
      usleep(kPollMilliseconds * 1000);
      continue;
    }
    int result = ring_buffer__poll(ring_, kPollMilliseconds);
    output_.flush();
    if (result < 0 && result != -EINTR) {
      output_.warning(std::string("cannot read events: ") + std::strerror(-result));
      return;
    }
    // The kernel interrupts the producing CPU to wake the reader for each
    // record it adds to an empty buffer: a reader that empties the buffer
    // as soon as a record lands costs the traced program an interrupt per
    // event. Under a flood, let records gather a moment, so that only the
    // first of a batch pays. A trickle is still read as it comes.
    if (result >= kFloodRecords)
      usleep(kFloodPauseMicroseconds);
  }
}

Status Session::drain() {
  if (!ring_)
    return {};
  int result = ring_buffer__consume(ring_);
  if (result < 0 && result != -EINTR)
    return error(std::string("cannot read events: ") + std::strerror(-result));
  return {};
}

void Session::finish() {
  // Drained after detaching, so that what a probe reported between the
  // last read and the detach is shown too (or dropped after exit()) and
  // never mixed into the end probes' output.
  links_.clear();
  if (Status status = drain(); !status)
    output_.warning(status.error());
  ending_ = true;
  if (Status status = run_programs(probes::Trigger::AfterDetach); !status)
    output_.warning(status.error());
  if (Status status = drain(); !status)
    output_.warning(status.error());
  bool print_maps = options_.print_maps_on_exit && !options_.dry_run;
  if (print_maps || !benchmarks_.empty())
    output_.end();
  if (!benchmarks_.empty())
    output_.benchmarks(benchmarks_);
  if (print_maps)
    for (size_t i = 0; i < script_.maps.size(); i++)
      output_.print_map(script_.maps[i], read_map(i));
  warn_full_maps();
  if (skipped_commands_)
    output_.warning(std::to_string(skipped_commands_) + " system() command" +
                    (skipped_commands_ == 1 ? " was" : "s were") +
                    " not run: they came after the stop signal");
  auto lost = lost_events();
  if (!lost)
    output_.warning(lost.error());
  else if (*lost > 0)
    output_.lost_events(*lost);
}

Expected<uint64_t> Session::lost_events() const {
  if (!lost_events_)
    return uint64_t{0};
  return lost_events_->sum_at_zero_key();
}

// Once per map, at exit: updates a full map refused are lost data, whether
// or not -k reported them as they happened.
void Session::warn_full_maps() {
  if (!map_full_)
    return;
  for (size_t i = 0; i < script_.maps.size(); i++) {
    auto failed = map_full_->sum_at(static_cast<uint32_t>(i));
    if (!failed) {
      output_.warning(failed.error());
      return;
    }
    const MapInfo &map = script_.maps[i];
    if (*failed > 0)
      output_.warning("Map full; can't update element of " + map.script_name + " (" +
                      std::to_string(map.max_entries) +
                      (map.max_entries == 1 ? " element): " : " elements): ") +
                      std::to_string(*failed) + (*failed == 1 ? " update was" : " updates were") +
                      " dropped; raise max_map_keys or declare the map larger");
  }
}

int Session::on_record(void *ctx, void *data, size_t size) {
  auto *session = static_cast<Session *>(ctx);
  int result = session->dispatch(static_cast<const uint8_t *>(data), size);
  // A stop signal ends the read at once, even when the probes fill the
  // buffer as fast as it drains (system() from sched_switch).
  if (result == 0 && stop_requested() && !session->ending_)
    return -EINTR;
  return result;
}

int Session::on_unwind_request(void *ctx, void *data, size_t size) {
  auto *session = static_cast<Session *>(ctx);
  sonde_dw_request request{};
  if (size < sizeof request)
    return 0;
  std::memcpy(&request, data, sizeof request);
  session->unwind_tables_->add_requested(
      request, [session](const std::string &message) { session->output_.warning(message); });
  return 0;
}

int Session::dispatch(const uint8_t *data, size_t size) {
  if (size < sizeof(uint64_t))
    return 0;
  // Nothing a probe does after exit() shows, except what the end probes say:
  // other CPUs' (or the same timer's) records still in the buffer are dropped.
  if (exit_requested_ && !ending_)
    return 0;
  uint64_t id = read_scalar<uint64_t>(data);
  if (id >= script_.events.size() || size < script_.events[id].size) {
    dispatch_error_ = "malformed event record (id " + std::to_string(id) + ", " +
                      std::to_string(size) + " bytes)";
    return -EINVAL;
  }
  const EventInfo &event = script_.events[id];
  const uint8_t *args = data + sizeof(uint64_t);
  if (event.kind == EventKind::Errorf || event.kind == EventKind::HelperError)
    errors_++;
  if (output_.event(event, args))
    return 0;
  switch (event.kind) {
  case EventKind::PrintMap: {
    output::TSeriesBounds bounds;
    if (event.print_args >= 1)
      bounds.min = event.top;
    if (event.print_args >= 2)
      bounds.max = event.div;
    output_.print_map(script_.maps.at(event.map_index), read_map(event.map_index),
                      static_cast<uint64_t>(event.top), static_cast<uint64_t>(event.div), bounds);
    break;
  }
  case EventKind::Clear:
    if (Status status = maps_.at(event.map_index).clear(); !status)
      output_.warning(status.error());
    break;
  case EventKind::Zero:
    if (Status status = maps_.at(event.map_index).zero(); !status)
      output_.warning(status.error());
    break;
  case EventKind::Exit:
    if (!exit_requested_)
      exit_code_ = exit_status(read_scalar<int64_t>(args + event.args.at(0).offset));
    exit_requested_ = true;
    break;
  case EventKind::Cat:
    output_.cat(cat_file(format(event, args)));
    break;
  case EventKind::Warning:
    // Once per text, or per place for a warning about one.
    if (event.filename.empty()) {
      if (warned_.insert(event.format).second)
        output_.warning(event.format);
    } else if (warned_places_.insert(&event).second) {
      output_.located(Severity::Warning, event, event.format);
    }
    break;
  case EventKind::Unwatch: {
    auto watched = watch_links_.find(read_scalar<uint64_t>(args + event.args.at(0).offset));
    if (watched != watch_links_.end()) {
      for (size_t link : watched->second)
        links_.at(link).detach();
      watch_links_.erase(watched);
    }
    break;
  }
  case EventKind::NewProcess:
    if (options_.on_new_process)
      options_.on_new_process(read_scalar<uint64_t>(args + event.args.at(0).offset));
    break;
  case EventKind::HelperError:
    output_.helper_error(helper_error(event, read_scalar<int64_t>(args + event.args.at(0).offset)));
    break;
  case EventKind::System:
    if (stop_requested())
      skipped_commands_++; // the user asked to stop: run no more commands
    else if (options_.unsafe)
      output_.system_output(run_command(format(event, args)));
    else
      output_.warning("system() needs --unsafe; not run");
    break;
  default:
    dispatch_error_ = "event id " + std::to_string(id) + " has a kind the runtime cannot show";
    return -EINVAL;
  }
  return 0;
}

// Per-CPU values come back reduced to one, as the output layer expects.
Expected<output::MapEntries> Session::map_entries(size_t map_index) const {
  return maps_.at(map_index).entries(*script_.maps.at(map_index).value);
}

output::MapEntries Session::read_map(size_t map_index) {
  auto entries = map_entries(map_index);
  if (!entries) {
    output_.warning(entries.error());
    return output::MapEntries(0, 0);
  }
  // A scalar count() with no value (never counted, cleared or deleted)
  // prints 0, as bpftrace's per-CPU array behind it does.
  const MapInfo &map = script_.maps.at(map_index);
  if (entries->size() == 0 && map.key->kind == types::Kind::None &&
      map.value->kind == types::Kind::Count) {
    std::vector<uint8_t> zero(std::max<size_t>(entries->value_size(), 8));
    entries->add(zero.data(), zero.data());
  }
  return std::move(*entries);
}

std::string Session::format(const EventInfo &event, const uint8_t *args) const {
  return output::format_printf(event.format, event.args, args, output_.formatter());
}

// Read in pieces as the file gives them, up to max_cat_bytes, without
// blocking: a FIFO or trace_pipe that has nothing to say is waited for in
// short polls, not after a stop signal (a file that does not block is read
// whole even then, as by the end probes).
std::string Session::cat_file(const std::string &path) {
  int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    output_.error("failed to open file '" + path + "' (" + std::strerror(errno) + ")");
    return "";
  }
  std::string text;
  std::array<char, 4096> chunk;
  while (text.size() < options_.max_cat_bytes) {
    size_t wanted = std::min(chunk.size(), options_.max_cat_bytes - text.size());
    ssize_t n = read(fd, chunk.data(), wanted);
    if (n > 0) {
      text.append(chunk.data(), static_cast<size_t>(n));
    } else if (n == 0) {
      break;
    } else if (errno == EAGAIN) {
      if (stop_requested())
        break;
      pollfd readable{fd, POLLIN, 0};
      poll(&readable, 1, kPollMilliseconds);
    } else if (errno != EINTR) {
      output_.warning("cat: cannot read " + path + ": " + std::strerror(errno));
      break;
    }
  }
  close(fd);
  return text;
}

std::string Session::run_command(const std::string &command) {
  std::FILE *pipe = popen(command.c_str(), "r");
  if (!pipe) {
    output_.warning("system: cannot run " + command + ": " + std::strerror(errno));
    return "";
  }
  std::string output;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    output.append(buffer.data(), n);
  pclose(pipe);
  return output;
}

Expected<std::vector<ProgramStats>> verify(const CompiledScript &script, bool echo_libbpf,
                                           bool full_log) {
  auto object = BpfObject::open(script);
  if (!object)
    return error(object.error());
  constexpr uint32_t kLogInstructions = 1 | 2; // BPF_LOG_LEVEL1|2: every instruction walked
  constexpr uint32_t kLogStatistics = 4;       // BPF_LOG_STATS
  const size_t log_size = full_log ? script.verifier_log_size : 64 * 1024;
  std::vector<std::string> logs(object->programs().size(), std::string(log_size, '\0'));
  for (size_t i = 0; i < logs.size(); i++) {
    bpf_program *program = object->programs()[i].program;
    bpf_program__set_log_buf(program, logs[i].data(), logs[i].size());
    bpf_program__set_log_level(program, kLogStatistics | (full_log ? kLogInstructions : 0));
  }
  if (Status status = object->load(echo_libbpf); !status) {
    // libbpf prints no log into a caller's buffer; load again for the reason.
    auto plain = BpfObject::open(script);
    if (!plain)
      return error(plain.error());
    Status reason = plain->load(echo_libbpf);
    if (reason && full_log)
      return error("a program's verifier log is larger than log_size (" + std::to_string(log_size) +
                   " bytes): raise config log_size");
    return error(reason ? status.error() : reason.error());
  }
  std::vector<ProgramStats> stats;
  for (size_t i = 0; i < logs.size(); i++) {
    const ObjectProgram &program = object->programs()[i];
    std::string log(logs[i].c_str());
    while (!log.empty() && log.back() == '\n')
      log.pop_back();
    stats.push_back(ProgramStats{program.info->function_name, probe_of(*program.info),
                                 bpf_program__insn_cnt(program.program), log});
  }
  return stats;
}

} // namespace sonde::runtime
