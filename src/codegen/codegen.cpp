#include "codegen/codegen.h"

#include "codegen/backend_errors.h"
#include "codegen/bpf_c_imports.h"
#include "codegen/program_codegen.h"
#include "types/syscalls.h"

#include <algorithm>
#include <bit>

namespace sonde::codegen {

using types::Kind;

namespace {

// The ring buffer counts twice in sonde's memory (libbpf maps its data area
// twice): scripts that print while they run get room for bursts of tens of
// thousands of records between reads, the others a small one.
constexpr uint32_t kStreamingRingBufferBytes = 4 * 1024 * 1024;
constexpr uint32_t kQuietRingBufferBytes = 64 * 1024;

uint32_t ring_buffer_bytes(const CompiledScript &out, const sema::Config &config) {
  // The kernel wants a power-of-two number of pages.
  if (config.perf_rb_pages)
    return static_cast<uint32_t>(std::bit_ceil(std::min<uint64_t>(*config.perf_rb_pages, 1 << 18)) *
                                 4096);
  for (const auto &event : out.events)
    if (event.kind != EventKind::Exit && event.kind != EventKind::Warning &&
        event.kind != EventKind::Clear && event.kind != EventKind::Zero)
      return kStreamingRingBufferBytes;
  return kQuietRingBufferBytes;
}

// BPF object names: `@x` becomes `AT_x`, the anonymous map `AT_`.
std::string elf_map_name(const std::string &script_name) { return "AT_" + script_name.substr(1); }

BpfMapType map_type(const sema::MapSymbol &sym) {
  bool percpu = sym.value->is_aggregation();
  bool lru = sym.declared_kind.find("lru") != std::string::npos;
  if (sym.declared_kind == "percpuarray")
    return BpfMapType::PercpuArray;
  if (percpu || sym.declared_kind.rfind("percpu", 0) == 0)
    return lru ? BpfMapType::LruPercpuHash : BpfMapType::PercpuHash;
  return lru ? BpfMapType::LruHash : BpfMapType::Hash;
}

void declare_maps(ScriptState &state) {
  for (auto &[name, sym] : state.program.maps) {
    MapInfo info;
    info.script_name = name;
    info.elf_name = elf_map_name(name);
    info.key = sym.key;
    info.value = sym.value;
    auto type = map_type(sym);
    info.percpu = type == BpfMapType::PercpuHash || type == BpfMapType::LruPercpuHash ||
                  type == BpfMapType::PercpuArray;
    bool scalar = sym.key->kind == Kind::None;
    info.max_entries = static_cast<uint32_t>(
        scalar ? 1 : (sym.max_entries ? sym.max_entries : state.program.config.max_map_keys));
    uint32_t key_size = scalar ? 8 : static_cast<uint32_t>(sym.key->size);
    state.map_indexes[name] = static_cast<uint32_t>(state.out.maps.size());
    state.maps[name] = state.module.add_map(
        info.elf_name, type, key_size, static_cast<uint32_t>(sym.value->size), info.max_entries);
    state.out.maps.push_back(std::move(info));
  }
  state.out.ringbuf_elf_name = "events";
  // Sized once the programs have said what they send (see compile()).
  state.ringbuf = new llvm::GlobalVariable(
      state.module.module(), llvm::Type::getInt8Ty(state.module.context()), false,
      llvm::GlobalValue::ExternalLinkage, nullptr, "events_placeholder");
  state.out.lost_events_elf_name = "lost_events";
  state.lost_events = state.module.add_map("lost_events", BpfMapType::PercpuArray, 4, 8, 1);
  state.out.map_full_elf_name = "map_full";
  state.map_full =
      state.module.add_map("map_full", BpfMapType::PercpuArray, 4, 8,
                           static_cast<uint32_t>(std::max<size_t>(state.out.maps.size(), 1)));
}

// The ELF section names the program's kind, as libbpf conventions have it.
std::string section_for(const ProbeKind &kind, bool raw) { return raw ? "raw_tp" : kind.section; }

size_t probe_name_index(CompiledScript &out, const std::string &spec) {
  for (size_t i = 0; i < out.probe_names.size(); i++)
    if (out.probe_names[i] == spec)
      return i;
  out.probe_names.push_back(spec);
  return out.probe_names.size() - 1;
}

ProgramInfo program_info(ScriptState &state, const sema::ProbeInfo &probe,
                         const std::vector<sema::ProbeTarget> &targets, bool raw,
                         std::vector<size_t> &indices) {
  ProgramInfo info;
  info.provider = probe.kind->name;
  info.as_raw_tracepoint = raw;
  info.function_name = "p" + std::to_string(state.out.programs.size()) + "_" + probe.kind->name;
  for (const auto &t : targets) {
    AttachTarget target;
    target.provider = t.provider;
    target.spec = t.spec;
    target.fields = t.fields;
    target.cookie = probe_name_index(state.out, t.spec);
    indices.push_back(target.cookie);
    info.targets.push_back(std::move(target));
  }
  return info;
}

void generate_program(ScriptState &state, const sema::ProbeInfo &probe,
                      const sema::ProbeInstance &instance,
                      const std::vector<sema::ProbeTarget> &targets, bool raw) {
  std::vector<size_t> indices;
  ProgramInfo info = program_info(state, probe, targets, raw, indices);
  ProgramCodegen program(state, probe, instance, std::move(indices), raw);
  program.generate(info.function_name, section_for(*probe.kind, raw));
  state.out.programs.push_back(std::move(info));
}

// Many syscall tracepoints without `args`: one raw `sys_enter` (or
// `sys_exit`) program that tells them apart by syscall number. Raw
// tracepoints detach a thousand times faster than perf-event ones.
// Returns the targets it could not serve (unknown numbers).
std::vector<sema::ProbeTarget> generate_syscall_dispatch(ScriptState &state,
                                                         const sema::ProbeInfo &probe,
                                                         const sema::ProbeInstance &instance) {
  std::vector<sema::ProbeTarget> rest;
  for (const char *prefix : {"sys_enter_", "sys_exit_"}) {
    std::vector<sema::ProbeTarget> served;
    std::vector<std::pair<uint64_t, size_t>> table;
    for (const auto &t : instance.targets) {
      const std::string &event = t.fields.at(1);
      if (event.rfind(prefix, 0) != 0)
        continue;
      auto number = types::syscall_number(event.substr(std::string(prefix).size()));
      if (!number) {
        rest.push_back(t);
        continue;
      }
      table.emplace_back(*number, probe_name_index(state.out, t.spec));
      served.push_back(t);
    }
    if (served.empty())
      continue;
    std::vector<size_t> indices;
    ProgramInfo info = program_info(state, probe, {served.front()}, true, indices);
    info.dispatched_probes = served.size();
    ProgramCodegen program(state, probe, instance, std::move(indices), true);
    program.set_syscall_dispatch(std::move(table), std::string(prefix) == "sys_exit_");
    program.generate(info.function_name, section_for(*probe.kind, true));
    state.out.programs.push_back(std::move(info));
  }
  return rest;
}

} // namespace

std::optional<CompiledScript> compile(sema::TypedProgram &program, const CodegenOptions &options,
                                      Diagnostics &diags) {
  CompiledScript out;
  const Source &source = diags.source();
  BpfModule module(source.name, source.text, program.config.license);
  out.verifier_log_size = program.config.log_size;
  ScriptState state{module, diags, program, options, out};
  declare_maps(state);
  state.child_pid = module.add_rodata_u64(load_time::kChildPid);
  state.filter_pid = module.add_rodata_u64(load_time::kFilterPid);
  state.exited = module.add_bss_u64("sonde_exited");
  state.start_ns = module.add_rodata_u64(load_time::kStartNs);
  state.realtime_offset_ns = module.add_rodata_u64(load_time::kRealtimeOffsetNs);
  state.ncpus = module.add_rodata_u64(load_time::kNcpus);
  state.pidns_dev = module.add_rodata_u64(load_time::kPidNsDev);
  state.pidns_ino = module.add_rodata_u64(load_time::kPidNsIno);
  // Created now, sized once every program has said how much it needs.
  state.scratch =
      new llvm::GlobalVariable(module.module(), llvm::Type::getInt8Ty(module.context()), false,
                               llvm::GlobalValue::ExternalLinkage, nullptr, "scratch_placeholder");

  for (const auto &probe : program.probes) {
    try {
      for (const auto &instance : probe.instances) {
        // A tracepoint that never reads its record loads as a raw tracepoint.
        bool raw = probe.kind->context == ProbeContext::TracepointRecord && !probe.reads_args &&
                   !probe.calls_task_kfuncs;
        bool syscalls = raw && instance.targets.front().fields.at(0) == "syscalls";
        if (syscalls && instance.targets.size() == 1) {
          // One syscall: its own tracepoint costs other syscalls nothing.
          generate_program(state, probe, instance, instance.targets, false);
        } else if (syscalls) {
          auto rest = generate_syscall_dispatch(state, probe, instance);
          if (!rest.empty())
            generate_program(state, probe, instance, rest, false);
        } else if ((raw || probe.kind->context == ProbeContext::RawArguments) &&
                   instance.targets.size() > 1) {
          // Raw tracepoints carry no attach cookie here: one program per
          // target when a body must tell its targets apart.
          for (const auto &t : instance.targets)
            generate_program(state, probe, instance, {t}, raw);
        } else {
          generate_program(state, probe, instance, instance.targets, raw);
        }
      }
    } catch (const std::runtime_error &e) {
      diags.error(probe.probe->loc, e.what());
    }
  }
  if (diags.has_errors())
    return std::nullopt;

  // One value per CPU, keyed by its number (the loader sizes it to the
  // possible CPUs), each a cache line multiple so that CPUs share no lines.
  constexpr uint64_t kCacheLine = 64;
  uint64_t scratch_value =
      (std::max<uint64_t>(state.scratch_size, 8) + kCacheLine - 1) / kCacheLine * kCacheLine;
  auto *scratch = module.add_map(load_time::kScratchMap, BpfMapType::Array, 4,
                                 static_cast<uint32_t>(scratch_value), 1);
  state.scratch->replaceAllUsesWith(scratch);
  state.scratch->eraseFromParent();
  if (state.zeroes) {
    auto *zeroes =
        module.add_map("zeroes", BpfMapType::Array, 4, static_cast<uint32_t>(state.zeroes_size), 1);
    state.zeroes->replaceAllUsesWith(zeroes);
    state.zeroes->eraseFromParent();
  }
  auto *ringbuf = module.add_map("events", BpfMapType::RingBuf, 0, 0,
                                 ring_buffer_bytes(state.out, program.config));
  state.ringbuf->replaceAllUsesWith(ringbuf);
  state.ringbuf->eraseFromParent();

  if (!program.c_functions.empty() && !link_bpf_c_files(module, *program.program, diags))
    return std::nullopt;

  BackendErrors backend(module.context());
  try {
    link_sonde_bpf_c(module);
    module.optimise(options.ir_before_opt, options.ir_after_opt);
    out.elf = module.emit_elf();
  } catch (const std::runtime_error &e) {
    diags.error({}, e.what());
    return std::nullopt;
  }
  for (const BackendError &error : backend.errors())
    diags.error(error.loc, error.message);
  if (!backend.errors().empty())
    return std::nullopt;
  return out;
}

} // namespace sonde::codegen
