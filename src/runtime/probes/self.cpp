// `self:signal:SIGUSR1` (or SIGUSR2): runs when sonde itself receives the
// signal (`kill -USR1 <sonde's pid>`), e.g. to print maps on demand. Like
// begin and end, the program is run from userspace (BPF_PROG_TEST_RUN on a
// raw tracepoint program); the signal handler runs it, so its output joins
// the event stream where the signal arrived. Attaching installs the
// handler; detaching restores the previous one.

#include "runtime/probes/provider.h"
#include "runtime/probes/wildcard.h"

#include <array>
#include <atomic>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <csignal>
#include <cstring>

namespace sonde::probes {

namespace {

struct Signal {
  std::string_view name;
  int number;
};

constexpr std::array kSignals = {Signal{"SIGUSR1", SIGUSR1}, Signal{"SIGUSR2", SIGUSR2}};

const Signal *find_signal(std::string_view name) {
  for (const Signal &signal : kSignals)
    if (signal.name == name || signal.name.substr(3) == name)
      return &signal;
  return nullptr;
}

// Programs to run per signal, read by the handler: program fds, -1 when the
// slot is free.
constexpr size_t kSlots = 64;
struct Slot {
  std::atomic<int> signal{0};
  std::atomic<int> program_fd{-1};
};
std::array<Slot, kSlots> slots;

// The handler is installed while any self probe of its signal is attached;
// the last one to detach puts the previous disposition back.
struct Handler {
  struct sigaction previous {};
  int users = 0;
};
std::array<Handler, kSignals.size()> handlers;

void run_programs(int signal) {
  int saved_errno = errno;
  for (Slot &slot : slots) {
    int fd = slot.program_fd.load();
    if (fd < 0 || slot.signal.load() != signal)
      continue;
    // The raw tracepoint context a test run needs; the program reads none.
    std::array<uint64_t, 12> args{};
    LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args.data(), .ctx_size_in = sizeof(args));
    bpf_prog_test_run_opts(fd, &opts);
  }
  errno = saved_errno;
}

class SelfProvider : public PerTargetProvider {
public:
  std::string_view name() const override { return "self"; }

  Expected<AttachPointSpec> canonicalize(AttachPointSpec spec) const override {
    if (spec.fields.size() != 2 || spec.fields[0] != "signal")
      return error("self probes name a signal sonde receives: self:signal:SIGUSR1");
    const Signal *signal = find_signal(spec.fields[1]);
    if (!signal)
      return error("self:signal probes take SIGUSR1 or SIGUSR2, not '" + spec.fields[1] + "'");
    spec.fields[1] = std::string(signal->name);
    return spec;
  }

  std::vector<AttachPointSpec> list(const std::vector<std::string> &pattern) const override {
    std::vector<AttachPointSpec> listed;
    for (const Signal &signal : kSignals) {
      AttachPointSpec spec{"self", {"signal", std::string(signal.name)}};
      if (fields_match(pattern, spec.fields))
        listed.push_back(std::move(spec));
    }
    return listed;
  }

  bpf_prog_type program_type(const ProgramInfo &) const override {
    return BPF_PROG_TYPE_RAW_TRACEPOINT;
  }

protected:
  Status attach_target(bpf_program *program, const ProgramInfo &, const AttachTarget &target,
                       const AttachOptions &, std::vector<Link> &links) const override {
    const Signal *signal = find_signal(target.fields.at(1));
    Slot *free = nullptr;
    for (Slot &slot : slots)
      if (slot.program_fd.load() < 0) {
        free = &slot;
        break;
      }
    if (!signal || !free)
      return error("cannot attach " + target.spec +
                   (signal ? ": too many self probes" : ": unknown signal"));
    Handler &handler = handlers[static_cast<size_t>(signal - kSignals.data())];
    if (handler.users == 0) {
      struct sigaction action {};
      action.sa_handler = run_programs;
      sigemptyset(&action.sa_mask);
      if (sigaction(signal->number, &action, &handler.previous) != 0)
        return error("cannot attach " + target.spec + ": " + std::strerror(errno));
    }
    handler.users++;
    free->signal.store(signal->number);
    free->program_fd.store(bpf_program__fd(program));
    int number = signal->number;
    links.push_back(Link::from_detach([free, number, &handler] {
      free->program_fd.store(-1);
      if (--handler.users == 0)
        sigaction(number, &handler.previous, nullptr);
    }));
    return {};
  }
};

} // namespace

const Provider &self_provider() {
  static const SelfProvider provider;
  return provider;
}

} // namespace sonde::probes
