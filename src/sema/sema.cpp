#include "sema/sema.h"

#include "ast/visitor.h"
#include "sema/macros.h"
#include "sema/reachability.h"
#include "sema/suggest.h"
#include "sema/type_checker.h"
#include "sema/unstable_features.h"

#include <algorithm>
#include <set>

namespace sonde::sema {

namespace {

// Map types are learnt from assignments anywhere in the script, so a probe may
// read a map that a later probe writes. Passes repeat until nothing new is
// learnt; the last pass reports errors.
constexpr int kMaxPasses = 8;

const std::map<std::string, std::string> kMapDeclKinds = {
    {"hash", "hash"},
    {"lruhash", "lruhash"},
    {"percpuhash", "percpuhash"},
    {"percpulruhash", "percpulruhash"},
    {"percpuarray", "percpuarray"},
};

// Whether a probe's text names `args` at all.
class ArgsFinder : public ast::Visitor {
public:
  bool found = false;
  void visit(ast::Identifier &node) override { found = found || node.name == "args"; }
};

bool mentions_args(ast::Probe &probe) {
  ArgsFinder finder;
  probe.accept(finder);
  return finder.found;
}

// Groups a probe's targets by the type of their `args`, one program each. A
// body that never reads `args` needs no grouping: one program serves all.
std::vector<ProbeInstance> group_instances(const ProbeKind *kind, std::vector<ProbeTarget> targets,
                                           ProbeCatalog &catalog, bool uses_args) {
  std::vector<ProbeInstance> instances;
  for (auto &target : targets) {
    if (kind->arguments == ArgumentSource::UsdtOperands) {
      // One program per layout of the arguments: each reads them its way.
      for (auto &layout : catalog.usdt_layouts(target)) {
        ProbeTarget sites = target;
        sites.fields.push_back(layout.sites);
        instances.push_back(ProbeInstance{{std::move(sites)}, nullptr, layout.arguments});
      }
      continue;
    }
    types::TypePtr args;
    if (uses_args && kind->has_args() && target.fields.size() == 2)
      args = catalog.tracepoint_args(target.fields[0], target.fields[1]);
    else if (uses_args && (kind->args_from_debug_info || kind->args_from_btf))
      args = catalog.function_args(target);
    auto same = std::find_if(instances.begin(), instances.end(), [&](const ProbeInstance &i) {
      return (i.args == nullptr) == (args == nullptr) && (!args || *i.args == *args);
    });
    if (same == instances.end()) {
      instances.push_back(ProbeInstance{{}, args});
      same = instances.end() - 1;
    }
    auto &instance = *same;
    instance.targets.push_back(std::move(target));
  }
  return instances;
}

// Drops the attach points that name nothing on this machine, as the
// `missing_probes` setting says, and the probes left without any.
// Even when missing probes are errors, a tracepoint that does not exist is
// dropped with a warning from a probe whose other attach points do exist (as
// in bpftrace: kernels differ in their syscalls, say aarch64's).
void drop_missing_tracepoints(ast::Program &program, ProbeCatalog &catalog, Diagnostics &diags) {
  for (auto &probe : program.probes) {
    std::vector<std::pair<ast::AttachPoint *, Expansion>> missing;
    for (auto &ap : probe->attach_points) {
      const ProbeKind *kind = find_probe_kind(ap->raw.substr(0, ap->raw.find(':')));
      if (probe->attach_points.size() < 2 || !kind ||
          kind->context != ProbeContext::TracepointRecord)
        continue;
      Expansion e = catalog.expand(ap->raw);
      if (e.missing && e.kind && e.kind->context == ProbeContext::TracepointRecord)
        missing.emplace_back(ap.get(), std::move(e));
    }
    if (missing.empty() || missing.size() == probe->attach_points.size())
      continue;
    for (const auto &[ap, e] : missing) {
      std::string name;
      for (const auto &field : e.fields)
        name += (name.empty() ? "" : ":") + field;
      diags.warning(ap->loc, "tracepoint not found: " + name);
    }
    std::erase_if(probe->attach_points, [&](const std::unique_ptr<ast::AttachPoint> &ap) {
      return std::any_of(missing.begin(), missing.end(),
                         [&](const auto &m) { return m.first == ap.get(); });
    });
  }
}

void drop_missing_probes(ast::Program &program, ProbeCatalog &catalog, MissingProbes policy,
                         Diagnostics &diags) {
  if (policy == MissingProbes::Error) {
    drop_missing_tracepoints(program, catalog, diags);
    return;
  }
  for (auto &probe : program.probes) {
    std::erase_if(probe->attach_points, [&](const std::unique_ptr<ast::AttachPoint> &ap) {
      Expansion e = catalog.expand(ap->raw);
      if (!e.missing)
        return false;
      if (policy == MissingProbes::Warn)
        diags.warning(ap->loc, e.error + "; skipping it (missing_probes = warn)");
      return true;
    });
  }
  std::erase_if(program.probes, [](const std::unique_ptr<ast::Probe> &probe) {
    return probe->attach_points.empty();
  });
}

// --probe-filter: drops the targets whose name the filter does not find, and
// the probes left without any. Returns false, with an error, when no probe
// that fires on kernel events is left.
bool filter_probes(ast::Program &program, const std::regex &filter, Diagnostics &diags,
                   TypedProgram &out) {
  bool any_left = false;
  std::set<const ast::Probe *> emptied;
  for (auto &info : out.probes) {
    if (info.kind->at_start_or_end)
      continue;
    for (auto &instance : info.instances)
      std::erase_if(instance.targets, [&](const ProbeTarget &target) {
        return !std::regex_search(target.spec, filter);
      });
    std::erase_if(info.instances,
                  [](const ProbeInstance &instance) { return instance.targets.empty(); });
    if (info.instances.empty())
      emptied.insert(info.probe);
    else
      any_left = true;
  }
  if (!any_left) {
    diags.error(program.loc, "No probe matches --probe-filter");
    return false;
  }
  std::erase_if(out.probes, [&](const ProbeInfo &info) { return emptied.count(info.probe); });
  std::erase_if(program.probes, [&](const std::unique_ptr<ast::Probe> &probe) {
    return emptied.count(probe.get());
  });
  return true;
}

// The kind a probe's attach points are of (one, once split_probe_kinds ran),
// or null for a kind no descriptor names (reported later).
const ProbeKind *kind_of(const ast::Probe &probe) {
  if (probe.attach_points.empty())
    return nullptr;
  const std::string &raw = probe.attach_points.front()->raw;
  return find_probe_kind(raw.substr(0, raw.find(':')));
}

// --mode: drops the probes that run in another mode (begin and end run in
// all), before their attach points are looked up. Returns false, with an
// error, when a test or bench run has nothing to run, or a trace nothing but
// test or bench probes.
bool keep_probes_of_mode(ast::Program &program, RunMode mode, Diagnostics &diags) {
  auto other_mode = [&](const std::unique_ptr<ast::Probe> &probe) {
    const ProbeKind *kind = kind_of(*probe);
    return kind && !kind->at_start_or_end && kind->runs_in != mode;
  };
  auto in_mode = [&](const std::unique_ptr<ast::Probe> &probe) {
    const ProbeKind *kind = kind_of(*probe);
    return !kind || kind->at_start_or_end || kind->runs_in == mode;
  };
  auto runs_in_mode = [&](const std::unique_ptr<ast::Probe> &probe) {
    const ProbeKind *kind = kind_of(*probe);
    return kind && !kind->at_start_or_end && kind->runs_in == mode;
  };
  const auto &probes = program.probes;
  if (mode != RunMode::Trace && std::none_of(probes.begin(), probes.end(), runs_in_mode)) {
    std::string name = mode == RunMode::Test ? "test" : "bench";
    diags.error(program.loc, "--mode " + name + ": the script has no " + name + " probes (" + name +
                                 ":NAME { … })");
    return false;
  }
  if (mode == RunMode::Trace && std::none_of(probes.begin(), probes.end(), in_mode)) {
    diags.error(program.loc, "No probes to attach: test and bench probes run only in their mode",
                "run the script with --mode test or --mode bench");
    return false;
  }
  std::erase_if(program.probes, other_mode);
  return true;
}

// The last field of an attach point.
std::string last_field(const std::string &attach_point) {
  return attach_point.substr(attach_point.rfind(':') + 1);
}

// A hint for an attach point that names nothing: the probe kind, or the
// existing attach point (`alternatives`), spelled most like it.
std::string did_you_mean(const std::string &attach_point,
                         const std::vector<std::string> &alternatives) {
  std::string type = attach_point.substr(0, attach_point.find(':'));
  if (!find_probe_kind(type)) {
    std::vector<std::string> names;
    for (const ProbeKind &kind : probe_kinds())
      names.push_back(kind.name);
    std::string near = closest_name(type, names);
    return near.empty() ? "" : "did you mean '" + near + "'?";
  }
  std::vector<std::string> last_fields;
  for (const std::string &alternative : alternatives)
    last_fields.push_back(last_field(alternative));
  std::string near = closest_name(last_field(attach_point), last_fields);
  if (near.empty())
    return "";
  auto found = std::find(last_fields.begin(), last_fields.end(), near);
  return "did you mean '" + alternatives[static_cast<size_t>(found - last_fields.begin())] + "'?";
}

// A probe whose attach points are of several kinds (`begin, end { }`)
// becomes one probe per kind, in the order the kinds first appear.
void split_probe_kinds(ast::Program &program, Diagnostics &diags) {
  std::vector<std::unique_ptr<ast::Probe>> probes;
  for (auto &probe : program.probes) {
    std::vector<std::pair<std::string, std::unique_ptr<ast::Probe>>> by_kind;
    for (auto &ap : probe->attach_points) {
      std::string kind = ap->raw.substr(0, ap->raw.find(':'));
      if (const ProbeKind *known = find_probe_kind(kind))
        kind = known->name;
      auto same = std::find_if(by_kind.begin(), by_kind.end(),
                               [&](const auto &entry) { return entry.first == kind; });
      if (same == by_kind.end()) {
        by_kind.emplace_back(kind, by_kind.empty() ? std::make_unique<ast::Probe>()
                                                   : copy_probe(*probe, diags));
        same = by_kind.end() - 1;
      }
      same->second->attach_points.push_back(std::move(ap));
    }
    if (by_kind.size() <= 1) {
      if (!by_kind.empty())
        probe->attach_points = std::move(by_kind.front().second->attach_points);
      probes.push_back(std::move(probe));
      continue;
    }
    probe->attach_points = std::move(by_kind.front().second->attach_points);
    probes.push_back(std::move(probe));
    for (size_t i = 1; i < by_kind.size(); i++)
      probes.push_back(std::move(by_kind[i].second));
  }
  program.probes = std::move(probes);
}

bool expand_probes(ast::Program &program, ProbeCatalog &catalog, bool unsafe, Diagnostics &diags,
                   TypedProgram &out) {
  bool ok = true;
  for (auto &probe : program.probes) {
    ProbeInfo info;
    info.probe = probe.get();
    std::vector<ProbeTarget> targets;
    for (auto &ap : probe->attach_points) {
      Expansion e = catalog.expand(ap->raw);
      if (!e.error.empty()) {
        diags.error(ap->loc, e.error, did_you_mean(ap->raw, e.alternatives));
        ok = false;
        continue;
      }
      for (auto &t : e.targets) {
        const ProbeKind *kind = find_probe_kind(t.provider);
        if (!kind) {
          diags.error(ap->loc, "Unknown probe kind '" + t.provider + "'");
          ok = false;
          break;
        }
        if (std::string why = unsafe ? "" : catalog.unsafe_attach(t); !why.empty()) {
          diags.error(ap->loc, why + "\nUse --unsafe to force attachment. WARNING: This option "
                                     "could lead to data corruption in the target process.");
          ok = false;
          continue;
        }
        info.kind = kind;
        targets.push_back(std::move(t));
      }
    }
    if (targets.empty() && ok) {
      diags.error(probe->loc, "This probe has no attach point");
      ok = false;
    }
    info.instances = group_instances(info.kind, std::move(targets), catalog, mentions_args(*probe));
    out.probes.push_back(std::move(info));
  }
  return ok;
}

void declare_maps(ast::Program &program, Diagnostics &diags, TypedProgram &out) {
  for (auto &decl : program.map_decls) {
    if (!kMapDeclKinds.count(decl->kind)) {
      diags.error(decl->loc, "Unknown map type: '" + decl->kind +
                                 "' (expected hash, lruhash, percpuhash, percpulruhash or "
                                 "percpuarray)");
      continue;
    }
    if (decl->max_entries < 1 || decl->max_entries > kMaxMapKeys) {
      diags.error(decl->loc, "a map holds 1 to " + std::to_string(kMaxMapKeys) + " elements, got " +
                                 std::to_string(decl->max_entries));
      continue;
    }
    auto &sym = out.maps["@" + decl->name];
    sym.name = "@" + decl->name;
    sym.first_use = decl->loc;
    sym.declared_kind = decl->kind;
    sym.max_entries = decl->max_entries;
  }
}

} // namespace

bool analyse(ast::Program &program, const SemaOptions &options, ProbeCatalog &catalog,
             Diagnostics &diags, TypedProgram &out) {
  out.program = &program;
  out.params = options.params;
  out.named_params = options.named_params;
  out.config = resolve_config(program, diags);
  drop_missing_probes(program, catalog, out.config.missing_probes, diags);
  if (program.probes.empty()) {
    diags.error(program.loc, "No probes to attach: a script needs at least one probe");
    return false;
  }
  expand_macros(program, diags);
  check_unstable_features(program, out.config, diags);
  if (diags.has_errors())
    return false;
  split_probe_kinds(program, diags);
  if (!keep_probes_of_mode(program, options.mode, diags))
    return false;
  warn_unreachable(program, diags);
  if (!expand_probes(program, catalog, options.unsafe, diags, out))
    return false;
  if (options.probe_filter && !filter_probes(program, *options.probe_filter, diags, out))
    return false;
  declare_maps(program, diags, out);
  out.types.load_script_definitions(program, options.includes, diags);
  if (diags.has_errors())
    return false;

  for (const auto &name : options.preloaded_maps) {
    auto &sym = out.maps[name];
    sym.name = name;
    if (!sym.value)
      sym.value = types::Type::integer(8, true);
  }

  TypeChecker checker(out, options, catalog, diags);
  size_t known = SIZE_MAX;
  for (int pass = 0; pass < kMaxPasses && checker.map_type_count() != known; pass++) {
    known = checker.map_type_count();
    for (auto &info : out.probes)
      for (auto &instance : info.instances)
        checker.check_probe(info, instance, false);
  }
  for (auto &info : out.probes)
    for (auto &instance : info.instances)
      checker.check_probe(info, instance, true);

  // A declared map that no statement uses is not created.
  for (auto it = out.maps.begin(); it != out.maps.end();) {
    const MapSymbol &sym = it->second;
    if (sym.declared_kind.empty() || sym.key || sym.value) {
      ++it;
      continue;
    }
    diags.warning(sym.first_use, "Unused map: " + it->first);
    it = out.maps.erase(it);
  }
  for (auto &[name, sym] : out.maps) {
    if (!sym.value && !diags.has_errors())
      diags.error(sym.first_use, "Map " + name + " is used but never assigned a value");
    if (!sym.key && !diags.has_errors())
      diags.error({}, "Map " + name +
                          " is filled from a file but the script never uses a key "
                          "of it");
  }
  return !diags.has_errors();
}

} // namespace sonde::sema
