#include "runtime/probes/counter_provider.h"

#include "runtime/probes/wildcard.h"

#include <algorithm>

namespace sonde::probes {

const CounterEvent *CounterProvider::find_event(std::string_view name) const {
  for (const CounterEvent &event : events_)
    if (event.name == name || (!event.alias.empty() && event.alias == name))
      return &event;
  return nullptr;
}

Expected<AttachPointSpec> CounterProvider::canonicalize(AttachPointSpec spec) const {
  std::string kind(name_);
  if (spec.fields.empty() || spec.fields.size() > 2 || spec.fields[0].empty())
    return error(kind + " probes need an event: " + kind + ":<event>:[<count>]");
  if (spec.fields.size() == 1)
    spec.fields.emplace_back();
  if (!spec.fields[1].empty()) {
    auto count = parse_attach_count(spec.fields[1]);
    if (!count)
      return error("invalid " + kind + " event count '" + spec.fields[1] +
                   "': expected a positive integer");
    spec.fields[1] = std::to_string(*count);
  }
  if (has_wildcard(spec.fields[0]))
    return spec;
  const CounterEvent *event = find_event(spec.fields[0]);
  if (!event)
    return error("unknown " + kind + " event '" + spec.fields[0] + "'");
  // An alias (software:cpu) stays as written: `probe` gives it back.
  if (spec.fields[1].empty())
    spec.fields[1] = std::to_string(event->default_count);
  return spec;
}

Expected<std::vector<AttachPointSpec>> CounterProvider::expand(const AttachPointSpec &spec) const {
  std::vector<AttachPointSpec> matches;
  for (const CounterEvent &event : events_) {
    bool alias = !event.alias.empty() && spec.fields[0] == event.alias;
    if (!alias && !wildcard_match(spec.fields[0], event.name))
      continue;
    std::string count =
        spec.fields[1].empty() ? std::to_string(event.default_count) : spec.fields[1];
    matches.push_back(AttachPointSpec{std::string(name_),
                                      {std::string(alias ? event.alias : event.name), count}});
  }
  return matches;
}

// Aliases are listed too (`software:cpu:` beside `software:cpu-clock:`), all
// in the byte order of their text, as bpftrace lists them.
std::vector<AttachPointSpec> CounterProvider::list(const std::vector<std::string> &pattern) const {
  std::vector<AttachPointSpec> listed;
  for (const CounterEvent &event : events_)
    for (std::string_view name : {event.name, event.alias}) {
      if (name.empty())
        continue;
      AttachPointSpec spec{std::string(name_), {std::string(name), ""}};
      if (fields_match(pattern, spec.fields) || fields_match(pattern, {spec.fields[0]}))
        listed.push_back(std::move(spec));
    }
  std::sort(listed.begin(), listed.end(),
            [](const AttachPointSpec &a, const AttachPointSpec &b) { return a.text() < b.text(); });
  return listed;
}

Expected<PerfEventSpec> CounterProvider::event_of(const AttachTarget &target) const {
  const CounterEvent *event = find_event(target.fields.at(0));
  auto count = parse_attach_count(target.fields.at(1));
  if (!event || !count)
    return error("cannot attach " + target.spec + ": not a canonical " + std::string(name_) +
                 " probe");
  return PerfEventSpec{perf_type_, event->config, *count, false};
}

Status CounterProvider::attach_target(bpf_program *program, const ProgramInfo &,
                                      const AttachTarget &target, const AttachOptions &,
                                      std::vector<Link> &links) const {
  auto event = event_of(target);
  if (!event)
    return error(event.error());
  return attach_perf_event(program, *event, online_cpus(), target.cookie, target.spec, links);
}

} // namespace sonde::probes
