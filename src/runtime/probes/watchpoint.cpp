// `watchpoint:<address>:<length>:<mode>`: a hardware breakpoint on a memory
// address of the traced process (-p or -c), firing when the process reads
// (r), writes (w) or executes (x) it. The context is struct
// bpf_perf_event_data.

#include "runtime/probes/perf_event.h"
#include "runtime/probes/provider.h"

#include <charconv>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>

namespace sonde::probes {

namespace {

struct Mode {
  std::string_view name;
  uint32_t type; // HW_BREAKPOINT_*
};

constexpr Mode kModes[] = {
    {"r", HW_BREAKPOINT_R},   {"w", HW_BREAKPOINT_W},   {"x", HW_BREAKPOINT_X},
    {"rw", HW_BREAKPOINT_RW}, {"wr", HW_BREAKPOINT_RW},
};

const Mode *find_mode(std::string_view name) {
  for (const Mode &mode : kModes)
    if (mode.name == name)
      return &mode;
  return nullptr;
}

bool parse_number(std::string_view text, uint64_t &value) {
  int base = 10;
  if (text.starts_with("0x") || text.starts_with("0X")) {
    text.remove_prefix(2);
    base = 16;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

std::string hex(uint64_t value) {
  char text[16];
  auto [end, ec] = std::to_chars(text, text + sizeof(text), value, 16);
  return "0x" + std::string(text, end);
}

class WatchpointProvider : public PerTargetProvider {
public:
  std::string_view name() const override { return "watchpoint"; }

  Expected<AttachPointSpec> canonicalize(AttachPointSpec spec) const override {
    if (spec.fields.size() != 3)
      return error("watchpoint probes need an address, a length and a mode: "
                   "watchpoint:<address>:<1|2|4|8>:<r|w|x|rw>");
    uint64_t address = 0, length = 0;
    if (!parse_number(spec.fields[0], address) || address == 0)
      return error("invalid watchpoint address '" + spec.fields[0] + "'");
    if (!parse_number(spec.fields[1], length) ||
        (length != 1 && length != 2 && length != 4 && length != 8))
      return error("invalid watchpoint length '" + spec.fields[1] + "': expected 1, 2, 4 or 8");
    if (address % length != 0)
      return error("watchpoint address " + spec.fields[0] + " is not aligned to its " +
                   std::to_string(length) + "-byte length");
    const Mode *mode = find_mode(spec.fields[2]);
    if (!mode)
      return error("invalid watchpoint mode '" + spec.fields[2] + "': expected r, w, x or rw");
#if defined(__x86_64__) || defined(__i386__)
    if (mode->type == HW_BREAKPOINT_R)
      return error("x86 debug registers cannot watch reads alone: use mode rw");
#endif
    if (mode->type == HW_BREAKPOINT_X && length != sizeof(long))
      return error("an execution watchpoint (x) watches " + std::to_string(sizeof(long)) +
                   " bytes");
    spec.fields = {hex(address), std::to_string(length),
                   std::string(mode->name == "wr" ? "rw" : mode->name)};
    return spec;
  }

  bpf_prog_type program_type(const ProgramInfo &) const override {
    return BPF_PROG_TYPE_PERF_EVENT;
  }

  std::optional<uint64_t> watched_address(const AttachTarget &target) const override {
    uint64_t address = 0;
    if (target.fields.empty() || !parse_number(target.fields[0], address))
      return std::nullopt;
    return address;
  }

protected:
  Status attach_target(bpf_program *program, const ProgramInfo &, const AttachTarget &target,
                       const AttachOptions &options, std::vector<Link> &links) const override {
    if (!options.pid)
      return error("cannot attach " + target.spec +
                   ": a watchpoint watches one process: give it with -p PID or -c CMD");
    uint64_t address = 0, length = 0;
    parse_number(target.fields.at(0), address);
    parse_number(target.fields.at(1), length);
    perf_event_attr attr{};
    attr.type = PERF_TYPE_BREAKPOINT;
    attr.bp_type = find_mode(target.fields.at(2))->type;
    attr.bp_addr = address;
    attr.bp_len = length;
    attr.sample_period = 1;
    return attach_perf_event_to_process(program, attr, *options.pid, target.cookie, target.spec,
                                        links);
  }
};

} // namespace

const Provider &watchpoint_provider() {
  static const WatchpointProvider provider;
  return provider;
}

} // namespace sonde::probes
