// `tracepoint:<category>:<event>`: kernel tracepoints from tracefs. Programs
// that read no format fields are loaded as raw tracepoints (fast to detach).

#include "runtime/probes/provider.h"
#include "runtime/probes/raw_tracepoint_attach.h"
#include "runtime/probes/tracefs.h"
#include "runtime/probes/wildcard.h"

#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>

namespace sonde::probes {

namespace {

// The kernel tracepoint behind a tracefs event. The `syscalls` events are
// synthesized from the two raw_syscalls tracepoints; a raw program for them
// dispatches on the syscall id itself.
std::string raw_tracepoint_name(const std::string &category, const std::string &event) {
  if (category == "syscalls") {
    if (event.starts_with("sys_enter_"))
      return "sys_enter";
    if (event.starts_with("sys_exit_"))
      return "sys_exit";
  }
  return event;
}

class TracepointProvider : public PerTargetProvider {
public:
  std::string_view name() const override { return "tracepoint"; }

  Expected<AttachPointSpec> canonicalize(AttachPointSpec spec) const override {
    if (spec.fields.size() != 2 || spec.fields[0].empty() || spec.fields[1].empty())
      return error("tracepoint probes need a category and an event: "
                   "tracepoint:<category>:<event>");
    return spec;
  }

  Expected<std::vector<AttachPointSpec>> expand(const AttachPointSpec &spec) const override {
    std::vector<AttachPointSpec> matches;
    const std::string &category_pattern = spec.fields[0];
    const std::string &event_pattern = spec.fields[1];
    if (!has_wildcard(category_pattern) && !has_wildcard(event_pattern)) {
      auto root = tracefs::root();
      if (!root)
        return error(root.error());
      if (tracefs::event_exists(category_pattern, event_pattern))
        matches.push_back(spec);
      return matches;
    }
    auto categories = tracefs::categories();
    if (!categories)
      return error(categories.error());
    for (const std::string &category : *categories) {
      if (!wildcard_match(category_pattern, category))
        continue;
      auto events = tracefs::events(category);
      if (!events)
        return error(events.error());
      for (const std::string &event : *events)
        if (wildcard_match(event_pattern, event))
          matches.push_back(AttachPointSpec{"tracepoint", {category, event}});
    }
    return matches;
  }

  std::vector<AttachPointSpec> list(const std::vector<std::string> &pattern) const override {
    bool exact = pattern.size() == 2;
    auto all =
        expand(AttachPointSpec{"tracepoint", exact ? pattern : std::vector<std::string>{"*", "*"}});
    std::vector<AttachPointSpec> listed;
    if (all)
      for (AttachPointSpec &spec : *all)
        if (exact || fields_match(pattern, spec.fields))
          listed.push_back(std::move(spec));
    return listed;
  }

  // The event's own fields, as its format file declares them.
  std::vector<std::string> describe(const AttachPointSpec &spec) const override {
    std::vector<std::string> lines;
    auto format = tracefs::format(spec.fields.at(0), spec.fields.at(1));
    if (!format)
      return lines;
    for (const types::TracepointField &field : format->fields) {
      if (field.is_common())
        continue;
      std::string line = "    ";
      if (field.data_loc || field.rel_loc)
        line += (field.data_loc ? "__data_loc " : "__rel_loc ") + field.type + "[] " + field.name;
      else if (field.array_length)
        line += field.type + " " + field.name + "[" + std::to_string(*field.array_length) + "]";
      else
        line += field.type + " " + field.name;
      lines.push_back(std::move(line));
    }
    return lines;
  }

  bpf_prog_type program_type(const ProgramInfo &program) const override {
    return program.as_raw_tracepoint ? BPF_PROG_TYPE_RAW_TRACEPOINT : BPF_PROG_TYPE_TRACEPOINT;
  }

protected:
  Status attach_target(bpf_program *program, const ProgramInfo &info, const AttachTarget &target,
                       const AttachOptions &, std::vector<Link> &links) const override {
    const std::string &category = target.fields.at(0);
    const std::string &event = target.fields.at(1);
    if (info.as_raw_tracepoint)
      return attach_raw_tracepoint(program, raw_tracepoint_name(category, event), target.cookie,
                                   links);
    LIBBPF_OPTS(bpf_tracepoint_opts, opts, .bpf_cookie = target.cookie);
    bpf_link *link =
        bpf_program__attach_tracepoint_opts(program, category.c_str(), event.c_str(), &opts);
    if (!link)
      return error("cannot attach " + target.spec + ": " + std::strerror(errno));
    links.emplace_back(link);
    return {};
  }
};

} // namespace

const Provider &tracepoint_provider() {
  static const TracepointProvider provider;
  return provider;
}

} // namespace sonde::probes
