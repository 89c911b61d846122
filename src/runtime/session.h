#pragma once

// A running script: the loaded BPF object, its links and the ring-buffer
// reader. run() goes through the whole life of a trace:
//   begin programs → attach everything → stream events until exit(),
//   SIGINT/SIGTERM, the -c child's exit or the -p process's exit → drain →
//   detach → end programs → drain → maps and lost events.
// In --mode test and bench, the test or bench programs run after attaching
// (there is nothing else to attach then).
// No failure leaves anything attached.

#include "common/compiled_script.h"
#include "common/expected.h"
#include "runtime/bpf_object.h"
#include "runtime/child.h"
#include "runtime/dwarf_unwind_tables.h"
#include "runtime/map_access.h"
#include "runtime/map_preload.h"
#include "runtime/output/output.h"
#include "runtime/traced_process.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

struct ring_buffer;

namespace sonde::runtime {

struct SessionOptions {
  std::string child_command; // -c; empty for none
  // -p: uprobes, usdt probes and watchpoints attach to this process alone,
  // and the run ends when it exits.
  std::optional<pid_t> target_pid;
  // --dwarf-pid: more processes whose files dw_ustack unwinds through.
  std::vector<pid_t> dwarf_pids;
  std::vector<MapPreload> preload; // --map: maps filled before begin
  bool print_maps_on_exit = true;
  uint64_t max_cat_bytes = 10240; // what cat() prints of a file at most
  bool unsafe = false;            // allows system()
  bool echo_libbpf = false;       // -d libbpf
  bool dry_run = false;           // attach everything, then exit (begin and end not run)
  bool quiet = false;             // -q: no "Attached N probes"
  bool verbose = false;           // -v: each program's verifier summary and attach points
  // CO-RE relocations are resolved against this BTF file instead of the
  // running kernel's (SONDE_BTF).
  std::string core_btf_path;
  // Called for each process whose user addresses the script records, the
  // first time it does, while it is still alive.
  std::function<void(uint64_t pid)> on_new_process;
  // Called once every probe is attached, before the first event is read.
  std::function<void()> on_attached;
};

class Session {
public:
  // Starts the -c child (held back), opens and loads the object.
  // Everything the programs report goes to `output`, in event order.
  static Expected<std::unique_ptr<Session>>
  load(const CompiledScript &script, output::Output &output, const SessionOptions &options);
  ~Session();

  // The child's pid, once load() started it.
  std::optional<pid_t> child_pid() const;

  // The file descriptor of a map of the loaded object, or -1.
  int map_fd(const std::string &elf_name) const;

  // Returns the exit status: exit()'s code, else 0.
  Expected<int> run();

  // For readers on other threads while run() runs (--metrics): they touch
  // nothing but the kernel's maps and an atomic.
  // The entries of script map `map_index`, per-CPU values reduced to one.
  Expected<output::MapEntries> map_entries(size_t map_index) const;
  // Events dropped so far because the ring buffer was full.
  Expected<uint64_t> lost_events() const;
  uint64_t attached_probes() const { return attached_; }

private:
  Session(const CompiledScript &script, output::Output &output, const SessionOptions &options,
          BpfObject object);

  // The pids, clocks and CPU count the programs read (load_time).
  Status set_load_time_values();
  Status prepare();
  // dw_ustack's tables for the files of the processes the run is told of.
  Expected<DwarfUnwindTables> read_unwind_tables();
  Status run_programs(probes::Trigger trigger);
  Status attach_all();
  void report_verified(const std::vector<std::string> &logs) const;
  // --mode test and bench (session_modes.cpp): run the test programs, or
  // time the bench programs; nothing without any.
  void run_tests();
  Status run_benchmarks();
  probes::AttachOptions attach_options() const;
  void event_loop();
  Status drain();
  void finish();
  void warn_full_maps();
  bool has_events_to_wait_for() const;
  bool should_stop();

  static int on_record(void *ctx, void *data, size_t size);
  static int on_unwind_request(void *ctx, void *data, size_t size);
  int dispatch(const uint8_t *data, size_t size);
  output::MapEntries read_map(size_t map_index);
  std::string format(const EventInfo &event, const uint8_t *args) const;
  std::string cat_file(const std::string &path);
  std::string run_command(const std::string &command);
  int exit_status(int64_t code);

  const CompiledScript &script_;
  output::Output &output_;
  SessionOptions options_;
  BpfObject object_;
  std::optional<Child> child_;
  std::optional<TracedProcess> target_;
  std::vector<MapAccess> maps_; // parallel to script_.maps
  std::optional<MapAccess> lost_events_;
  std::optional<MapAccess> map_full_;
  std::vector<probes::Link> links_;
  // The links of the watchpoints on each address (indexes into links_).
  std::map<uint64_t, std::vector<size_t>> watch_links_;
  ring_buffer *ring_ = nullptr;
  std::optional<DwarfUnwindTables> unwind_tables_; // when the script calls dw_ustack
  std::atomic<uint64_t> attached_ = 0;
  bool exit_requested_ = false;
  bool ending_ = false; // the end probes run
  int exit_code_ = 0;
  uint64_t errors_ = 0; // errorf(), assert(), fail() and -k reports so far
  std::vector<output::BenchmarkResult> benchmarks_; // by name, printed at exit
  std::string dispatch_error_;
  uint64_t skipped_commands_ = 0;             // system() events left after a stop signal
  std::set<std::string> warned_;              // Warning texts already shown
  std::set<const EventInfo *> warned_places_; // located Warnings already shown
};

struct ProgramStats {
  std::string function_name;
  std::string probe;          // the first attach point's spec
  uint64_t instructions = 0;  // as loaded
  std::string verifier_stats; // the verifier's summary lines ("processed 12 insns …")
};

// `--verify`: loads every program into the verifier and reports on each;
// attaches nothing. With `full_log`, verifier_stats holds the whole log
// (every instruction the verifier walked), for `-d verifier`.
Expected<std::vector<ProgramStats>> verify(const CompiledScript &script, bool echo_libbpf,
                                           bool full_log = false);

} // namespace sonde::runtime
