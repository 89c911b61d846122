#include "artifact/description.h"

#include "artifact/type_table.h"

#include <array>
#include <utility>

namespace sonde::artifact {

using nlohmann::json;

namespace {

constexpr std::array<std::pair<EventKind, const char *>, 16> kEventKindNames{{
    {EventKind::Printf, "printf"},
    {EventKind::Print, "print"},
    {EventKind::PrintMap, "print_map"},
    {EventKind::Clear, "clear"},
    {EventKind::Zero, "zero"},
    {EventKind::Time, "time"},
    {EventKind::Exit, "exit"},
    {EventKind::Cat, "cat"},
    {EventKind::System, "system"},
    {EventKind::Join, "join"},
    {EventKind::Warning, "warning"},
    {EventKind::HelperError, "helper_error"},
    {EventKind::Warnf, "warnf"},
    {EventKind::Errorf, "errorf"},
    {EventKind::NewProcess, "new_process"},
    {EventKind::Unwatch, "unwatch"},
}};

constexpr std::array<std::pair<output::StackMode, const char *>, 4> kStackModeNames{{
    {output::StackMode::Bpftrace, "bpftrace"},
    {output::StackMode::Perf, "perf"},
    {output::StackMode::Raw, "raw"},
    {output::StackMode::BuildId, "build_id"},
}};

template <typename Enum, size_t N>
const char *name_of(const std::array<std::pair<Enum, const char *>, N> &names, Enum value) {
  for (const auto &[v, name] : names)
    if (v == value)
      return name;
  throw std::out_of_range("no name for an enumerator");
}

template <typename Enum, size_t N>
Enum value_of(const std::array<std::pair<Enum, const char *>, N> &names, const json &name) {
  for (const auto &[v, n] : names)
    if (name.get<std::string>() == n)
      return v;
  throw std::out_of_range("unknown name '" + name.get<std::string>() + "'");
}

json describe_target(const AttachTarget &t) {
  return {{"provider", t.provider}, {"spec", t.spec}, {"fields", t.fields}, {"cookie", t.cookie}};
}

AttachTarget read_target(const json &j) {
  return {j.at("provider").get<std::string>(), j.at("spec").get<std::string>(),
          j.at("fields").get<std::vector<std::string>>(), j.at("cookie").get<uint64_t>()};
}

} // namespace

json describe(const Artifact &a) {
  const CompiledScript &s = a.script;
  TypeTableWriter types;
  json maps = json::array();
  for (const auto &m : s.maps)
    maps.push_back({{"script_name", m.script_name},
                    {"elf_name", m.elf_name},
                    {"key", types.add(m.key)},
                    {"value", types.add(m.value)},
                    {"percpu", m.percpu},
                    {"max_entries", m.max_entries}});
  json programs = json::array();
  for (const auto &p : s.programs) {
    json targets = json::array();
    for (const auto &t : p.targets)
      targets.push_back(describe_target(t));
    programs.push_back({{"function_name", p.function_name},
                        {"provider", p.provider},
                        {"as_raw_tracepoint", p.as_raw_tracepoint},
                        {"targets", std::move(targets)},
                        {"dispatched_probes", p.dispatched_probes}});
  }
  json events = json::array();
  for (const auto &e : s.events) {
    json args = json::array();
    for (const auto &arg : e.args)
      args.push_back({{"type", types.add(arg.type)}, {"offset", arg.offset}});
    events.push_back({{"kind", name_of(kEventKindNames, e.kind)},
                      {"format", e.format},
                      {"args", std::move(args)},
                      {"size", e.size},
                      {"map_index", e.map_index},
                      {"top", e.top},
                      {"div", e.div},
                      {"print_args", e.print_args},
                      {"filename", e.filename},
                      {"line", e.line},
                      {"column", e.column},
                      {"end_column", e.end_column}});
    // Optional keys (readers before them take the events without).
    if (!e.source_line.empty())
      events.back()["source_line"] = e.source_line;
    if (!e.expanded_from.empty()) {
      json calls = json::array();
      for (const auto &c : e.expanded_from)
        calls.push_back({{"line", c.line},
                         {"column", c.column},
                         {"end_column", c.end_column},
                         {"text", c.text}});
      events.back()["expanded_from"] = std::move(calls);
    }
  }
  json symbols = json::array();
  for (const auto &sym : a.symbols)
    symbols.push_back({{"symbol", sym.symbol}, {"binary", sym.binary}, {"address", sym.address}});
  json fields = json::array();
  for (const auto &f : a.tracepoint_fields)
    fields.push_back({{"category", f.category},
                      {"event", f.event},
                      {"field", f.field},
                      {"offset", f.offset},
                      {"size", f.size},
                      {"where", f.where}});
  json usdt = json::array();
  for (const auto &b : a.usdt_binaries)
    usdt.push_back({{"path", b.path}, {"build_id", b.build_id}});
  return {{"compiled_by", a.compiled_by},
          {"source", {{"name", a.source.name}, {"text", a.source.text}}},
          {"params", a.params},
          {"named_params", a.named_params},
          {"settings",
           {{"stack_mode", name_of(kStackModeNames, a.settings.stack_mode)},
            {"print_maps_on_exit", a.settings.print_maps_on_exit},
            {"max_cat_bytes", a.settings.max_cat_bytes},
            {"str_trunc_trailer", a.settings.str_trunc_trailer},
            {"cpp_demangle", a.settings.cpp_demangle},
            {"lazy_symbolication", a.settings.lazy_symbolication},
            {"show_debug_info", a.settings.show_debug_info}}},
          {"symbols", std::move(symbols)},
          {"tracepoint_fields", std::move(fields)},
          {"usdt_binaries", std::move(usdt)},
          {"programs", std::move(programs)},
          {"maps", std::move(maps)},
          {"events", std::move(events)},
          {"probe_names", s.probe_names},
          {"ringbuf", s.ringbuf_elf_name},
          {"lost_events", s.lost_events_elf_name},
          {"map_full", s.map_full_elf_name},
          {"kernel_stack_map", s.kernel_stack_map_elf_name},
          {"user_stack_map", s.user_stack_map_elf_name},
          {"dwarf_stack_map", s.dwarf_stack_map_elf_name},
          {"dwarf_stack_map_entries", s.dwarf_stack_map_entries},
          {"verifier_log_size", s.verifier_log_size},
          {"types", types.table()}};
}

Status read_description(const json &d, Artifact &a) {
  auto types = TypeTableReader::read(d.at("types"));
  if (!types)
    return error(types.error());
  CompiledScript &s = a.script;
  a.compiled_by = d.at("compiled_by").get<std::string>();
  a.source = {d.at("source").at("name").get<std::string>(),
              d.at("source").at("text").get<std::string>()};
  a.params = d.at("params").get<std::vector<std::string>>();
  a.named_params = d.at("named_params").get<std::vector<std::string>>();
  const json &settings = d.at("settings");
  a.settings.stack_mode = value_of(kStackModeNames, settings.at("stack_mode"));
  a.settings.print_maps_on_exit = settings.at("print_maps_on_exit").get<bool>();
  a.settings.max_cat_bytes = settings.at("max_cat_bytes").get<uint64_t>();
  a.settings.str_trunc_trailer = settings.at("str_trunc_trailer").get<std::string>();
  a.settings.cpp_demangle = settings.at("cpp_demangle").get<bool>();
  a.settings.lazy_symbolication = settings.at("lazy_symbolication").get<bool>();
  a.settings.show_debug_info = settings.value("show_debug_info", true);
  for (const auto &sym : d.at("symbols"))
    a.symbols.push_back({sym.at("symbol").get<std::string>(), sym.at("binary").get<std::string>(),
                         sym.at("address").get<uint64_t>()});
  for (const auto &f : d.at("tracepoint_fields"))
    a.tracepoint_fields.push_back({f.at("category").get<std::string>(),
                                   f.at("event").get<std::string>(),
                                   f.at("field").get<std::string>(), f.at("offset").get<uint64_t>(),
                                   f.at("size").get<uint64_t>(), f.at("where").get<std::string>()});
  for (const auto &b : d.value("usdt_binaries", json::array()))
    a.usdt_binaries.push_back(
        {b.at("path").get<std::string>(), b.at("build_id").get<std::string>()});
  for (const auto &m : d.at("maps"))
    s.maps.push_back({m.at("script_name").get<std::string>(), m.at("elf_name").get<std::string>(),
                      types->at(m.at("key").get<int64_t>()),
                      types->at(m.at("value").get<int64_t>()), m.at("percpu").get<bool>(),
                      m.at("max_entries").get<uint32_t>()});
  s.probe_names = d.at("probe_names").get<std::vector<std::string>>();
  for (const auto &p : d.at("programs")) {
    ProgramInfo info;
    info.function_name = p.at("function_name").get<std::string>();
    info.provider = p.at("provider").get<std::string>();
    info.as_raw_tracepoint = p.at("as_raw_tracepoint").get<bool>();
    for (const auto &t : p.at("targets")) {
      info.targets.push_back(read_target(t));
      if (info.targets.back().cookie >= s.probe_names.size())
        return error("a target's probe index is out of range");
    }
    info.dispatched_probes = p.at("dispatched_probes").get<uint64_t>();
    s.programs.push_back(std::move(info));
  }
  for (const auto &e : d.at("events")) {
    EventInfo info;
    info.kind = value_of(kEventKindNames, e.at("kind"));
    info.format = e.at("format").get<std::string>();
    for (const auto &arg : e.at("args")) {
      auto type = types->at(arg.at("type").get<int64_t>());
      if (!type)
        return error("an event argument has no type");
      info.args.push_back({type, arg.at("offset").get<uint64_t>()});
    }
    info.size = e.at("size").get<uint64_t>();
    info.map_index = e.at("map_index").get<size_t>();
    info.top = e.at("top").get<int64_t>();
    info.div = e.at("div").get<int64_t>();
    info.print_args = e.value("print_args", uint64_t{0});
    info.filename = e.at("filename").get<std::string>();
    info.line = e.at("line").get<uint64_t>();
    info.column = e.at("column").get<uint64_t>();
    info.end_column = e.at("end_column").get<uint64_t>();
    info.source_line = e.value("source_line", std::string());
    if (e.contains("expanded_from"))
      for (const auto &c : e.at("expanded_from"))
        info.expanded_from.push_back({c.at("line").get<uint64_t>(), c.at("column").get<uint64_t>(),
                                      c.at("end_column").get<uint64_t>(),
                                      c.at("text").get<std::string>()});
    bool names_map = info.kind == EventKind::PrintMap || info.kind == EventKind::Clear ||
                     info.kind == EventKind::Zero;
    if (names_map && info.map_index >= s.maps.size())
      return error("an event's map index is out of range");
    for (const auto &arg : info.args)
      if (arg.offset + arg.type->size > info.size)
        return error("an event argument lies outside its record");
    s.events.push_back(std::move(info));
  }
  for (const auto &m : s.maps)
    if (!m.value)
      return error("map " + m.script_name + " has no value type");
  s.ringbuf_elf_name = d.at("ringbuf").get<std::string>();
  s.lost_events_elf_name = d.at("lost_events").get<std::string>();
  s.map_full_elf_name = d.at("map_full").get<std::string>();
  s.kernel_stack_map_elf_name = d.at("kernel_stack_map").get<std::string>();
  s.user_stack_map_elf_name = d.at("user_stack_map").get<std::string>();
  s.dwarf_stack_map_elf_name = d.value("dwarf_stack_map", "");
  s.dwarf_stack_map_entries = d.value("dwarf_stack_map_entries", uint32_t{0});
  s.verifier_log_size = d.value("verifier_log_size", s.verifier_log_size);
  return {};
}

} // namespace sonde::artifact
