#include "runtime/bpf_object.h"

#include "runtime/libbpf_log.h"

#include <algorithm>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>

namespace sonde::runtime {

void BpfObject::Closer::operator()(bpf_object *object) const { bpf_object__close(object); }

Expected<BpfObject> BpfObject::open(const CompiledScript &script,
                                    const std::string &core_btf_path) {
  LibbpfLog log(false);
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "sonde",
              .btf_custom_path = core_btf_path.empty() ? nullptr : core_btf_path.c_str());
  bpf_object *raw = bpf_object__open_mem(script.elf.data(), script.elf.size(), &opts);
  if (!raw)
    return error(std::string("cannot open the BPF object: ") + std::strerror(errno));
  BpfObject object;
  object.object_.reset(raw);
  if (bpf_map *scratch = bpf_object__find_map_by_name(raw, load_time::kScratchMap))
    if (bpf_map__set_max_entries(
            scratch, static_cast<uint32_t>(std::max(libbpf_num_possible_cpus(), 1))) != 0)
      return error(std::string("cannot size the scratch map: ") + std::strerror(errno));
  for (const ProgramInfo &info : script.programs) {
    const probes::Provider *provider = probes::find_provider(info.provider);
    if (!provider)
      return error("program '" + info.function_name + "' has unknown provider '" + info.provider +
                   "'");
    bpf_program *program = bpf_object__find_program_by_name(raw, info.function_name.c_str());
    if (!program)
      return error("the BPF object has no program '" + info.function_name + "'");
    bpf_program__set_type(program, provider->program_type(info));
    if (Status status = provider->prepare(program, info); !status)
      return error(status.error());
    object.programs_.push_back(ObjectProgram{&info, provider, program});
  }
  return object;
}

Status BpfObject::set_load_time(const char *name, uint64_t value) {
  const btf *types = bpf_object__btf(object_.get());
  bpf_map *rodata = bpf_object__find_map_by_name(object_.get(), ".rodata");
  if (!types || !rodata)
    return {};
  int section = btf__find_by_name_kind(types, ".rodata", BTF_KIND_DATASEC);
  if (section < 0)
    return {};
  const btf_type *datasec = btf__type_by_id(types, section);
  const btf_var_secinfo *vars = btf_var_secinfos(datasec);
  for (int i = 0; i < btf_vlen(datasec); i++) {
    const btf_type *var = btf__type_by_id(types, vars[i].type);
    if (std::strcmp(btf__name_by_offset(types, var->name_off), name) != 0)
      continue;
    size_t size = 0;
    auto *initial = static_cast<const uint8_t *>(bpf_map__initial_value(rodata, &size));
    if (!initial || vars[i].offset + sizeof(value) > size || vars[i].size != sizeof(value))
      return error(std::string("the BPF object's ") + name + " is not a uint64 in .rodata");
    std::vector<uint8_t> data(initial, initial + size);
    std::memcpy(data.data() + vars[i].offset, &value, sizeof(value));
    if (bpf_map__set_initial_value(rodata, data.data(), data.size()) != 0)
      return error(std::string("cannot set ") + name + ": " + std::strerror(errno));
    return {};
  }
  return {};
}

Status BpfObject::load(bool echo_libbpf) {
  LibbpfLog log(echo_libbpf);
  if (bpf_object__load(object_.get()) == 0)
    return {};
  int saved = errno;
  for (const ObjectProgram &program : programs_) {
    std::string reason = load_failure_reason(log.text(), program.info->function_name);
    if (reason.empty())
      continue;
    std::string probe =
        program.info->targets.empty() ? program.info->provider : program.info->targets.front().spec;
    return error("cannot load the program of probe " + probe + ": " + reason);
  }
  return error(std::string("cannot load the BPF object: ") + std::strerror(saved));
}

bpf_map *BpfObject::map(const std::string &elf_name) const {
  return bpf_object__find_map_by_name(object_.get(), elf_name.c_str());
}

} // namespace sonde::runtime
