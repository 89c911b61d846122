#pragma once

// The compiled script's BPF object opened from memory, with every program's
// type set and load-time attach details prepared by its probe provider, ready
// to load.

#include "common/compiled_script.h"
#include "common/expected.h"
#include "runtime/probes/provider.h"

#include <memory>
#include <vector>

struct bpf_object;
struct bpf_program;
struct bpf_map;

namespace sonde::runtime {

struct ObjectProgram {
  const ProgramInfo *info = nullptr;
  const probes::Provider *provider = nullptr;
  bpf_program *program = nullptr;
};

class BpfObject {
public:
  // core_btf_path: resolve CO-RE relocations against this BTF file, not the
  // running kernel's.
  static Expected<BpfObject> open(const CompiledScript &script,
                                  const std::string &core_btf_path = "");

  // Writes one of the load_time globals (common/compiled_script.h) before
  // load; a no-op for objects that do not declare it.
  Status set_load_time(const char *name, uint64_t value);
  // Loads every program; on a verifier rejection the error names the
  // program, its probe and the verifier's last lines.
  Status load(bool echo_libbpf);

  const std::vector<ObjectProgram> &programs() const { return programs_; }
  // A map by its name in the object, or null.
  bpf_map *map(const std::string &elf_name) const;

private:
  struct Closer {
    void operator()(bpf_object *object) const;
  };

  std::unique_ptr<bpf_object, Closer> object_;
  std::vector<ObjectProgram> programs_;
};

} // namespace sonde::runtime
