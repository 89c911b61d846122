#include "runtime/probes/timer.h"

#include "runtime/probes/wildcard.h"

#include <array>
#include <limits>
#include <linux/perf_event.h>

namespace sonde::probes {

namespace {

struct Unit {
  std::string_view name;
  uint64_t nanoseconds; // 0 for hz
};

constexpr std::array kUnits = {Unit{"s", 1'000'000'000}, Unit{"ms", 1'000'000}, Unit{"us", 1'000},
                               Unit{"ns", 1}, Unit{"hz", 0}};

const Unit *find_unit(std::string_view name) {
  for (const Unit &unit : kUnits)
    if (unit.name == name)
      return &unit;
  return nullptr;
}

} // namespace

Expected<AttachPointSpec> canonicalize_timer(AttachPointSpec spec) {
  std::string usage = spec.provider + " probes need a unit and a count: " + spec.provider +
                      ":<s|ms|us|ns|hz>:<n> or " + spec.provider + ":<n><unit>";
  if (spec.fields.size() == 1) {
    const std::string &both = spec.fields[0];
    size_t digits = both.find_first_not_of("0123456789");
    if (digits == 0 || digits == std::string::npos)
      return error(usage);
    spec.fields = {both.substr(digits), both.substr(0, digits)};
  }
  if (spec.fields.size() != 2)
    return error(usage);
  if (!find_unit(spec.fields[0]))
    return error("unknown " + spec.provider + " unit '" + spec.fields[0] +
                 "' (expected s, ms, us, ns or hz)");
  auto count = parse_attach_count(spec.fields[1]);
  if (!count)
    return error("invalid " + spec.provider + " count '" + spec.fields[1] +
                 "': expected a positive integer");
  uint64_t nanoseconds = find_unit(spec.fields[0])->nanoseconds;
  if (nanoseconds && *count > std::numeric_limits<uint64_t>::max() / nanoseconds)
    return error(spec.provider + " period " + spec.fields[1] + spec.fields[0] +
                 " is too long: it does not fit in 64 bits of nanoseconds");
  spec.fields[1] = std::to_string(*count);
  return spec;
}

PerfEventSpec timer_event(const std::vector<std::string> &fields) {
  const Unit &unit = *find_unit(fields.at(0));
  uint64_t count = parse_attach_count(fields.at(1)).value_or(0);
  PerfEventSpec event;
  event.type = PERF_TYPE_SOFTWARE;
  event.config = PERF_COUNT_SW_CPU_CLOCK;
  event.frequency = unit.nanoseconds == 0;
  event.period = event.frequency ? count : count * unit.nanoseconds;
  return event;
}

std::vector<AttachPointSpec> list_timer_units(std::string_view provider,
                                              const std::vector<std::string> &pattern) {
  std::vector<AttachPointSpec> listed;
  for (std::string_view unit : {"hz", "ms", "s", "us"}) {
    AttachPointSpec spec{std::string(provider), {std::string(unit), ""}};
    if (fields_match(pattern, spec.fields) || fields_match(pattern, {spec.fields[0]}))
      listed.push_back(std::move(spec));
  }
  return listed;
}

} // namespace sonde::probes
