#include "runtime/dwarf_unwind_tables.h"

#include "common/probe_kind.h"
#include "system/elf_file.h"
#include "system/ld_cache.h"
#include "system/process_maps.h"
#include "system/unwind_rows.h"

#include <algorithm>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>
#include <deque>
#include <set>
#include <sys/stat.h>
#include <sys/sysmacros.h>

namespace sonde::runtime {

namespace {

// The kernel's name of a file: its superblock's device (MKDEV: major << 20
// | minor) and its inode.
std::optional<sonde_dw_file_key> file_key(const std::string &path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    return std::nullopt;
  return sonde_dw_file_key{(uint64_t{major(st.st_dev)} << 20) | minor(st.st_dev), st.st_ino};
}

Status resize(const BpfObject &object, const char *name, size_t entries) {
  bpf_map *map = object.map(name);
  if (!map)
    return error(std::string("the BPF object has no map '") + name + "'");
  if (bpf_map__set_max_entries(map, static_cast<uint32_t>(std::max<size_t>(entries, 1))) != 0)
    return error(std::string("cannot size dw_ustack's ") + name + ": " + std::strerror(errno));
  return {};
}

} // namespace

std::vector<std::string> unwind_table_files(const CompiledScript &script,
                                            const std::string &child_program,
                                            const std::vector<pid_t> &pids) {
  std::vector<std::string> paths;
  for (const ProgramInfo &program : script.programs) {
    const ProbeKind *kind = find_probe_kind(program.provider);
    if (!kind || !kind->probes_binary)
      continue;
    for (const AttachTarget &target : program.targets)
      if (!target.fields.empty())
        paths.push_back(target.fields[0]);
  }
  if (!child_program.empty())
    paths.push_back(child_program);
  for (pid_t pid : pids) {
    // Through the process's root, so that a file of another mount
    // namespace is the one it maps.
    std::string root = "/proc/" + std::to_string(pid) + "/root";
    for (const auto &mapping : system::code_mappings(system::read_process_maps(pid)))
      if (!mapping.deleted && mapping.path.starts_with("/"))
        paths.push_back(root + mapping.path);
  }
  return paths;
}

DwarfUnwindTables DwarfUnwindTables::read(const std::vector<std::string> &paths,
                                          const std::function<void(const std::string &)> &warn) {
  DwarfUnwindTables tables;
  std::set<std::pair<uint64_t, uint64_t>> seen; // device and inode
  std::deque<std::string> pending(paths.begin(), paths.end());
  while (!pending.empty()) {
    std::string path = std::move(pending.front());
    pending.pop_front();
    auto key = file_key(path);
    if (!key || !seen.insert({key->dev, key->ino}).second)
      continue;
    if (auto file = system::ElfFile::open(path))
      for (const auto &name : file->needed_libraries())
        if (auto library = system::find_library(name))
          pending.push_back(*library);
    auto rows = system::unwind_rows(path);
    if (!rows) {
      warn("dw_ustack: " + rows.error() + "; its frames end the stacks");
      continue;
    }
    auto first = static_cast<uint32_t>(tables.rows_.size());
    tables.rows_.insert(tables.rows_.end(), rows->begin(), rows->end());
    tables.files_.push_back({*key, {first, static_cast<uint32_t>(rows->size())}});
  }
  return tables;
}

Status DwarfUnwindTables::size_maps(const BpfObject &object, uint32_t stacks) const {
  if (Status status = resize(object, SONDE_DW_STRING(SONDE_DW_ROWS), rows_.size()); !status)
    return status;
  if (Status status = resize(object, SONDE_DW_STRING(SONDE_DW_STACKS), stacks); !status)
    return status;
  return resize(object, SONDE_DW_STRING(SONDE_DW_FILES), files_.size());
}

Status DwarfUnwindTables::fill_maps(const BpfObject &object) const {
  int rows_fd = bpf_map__fd(object.map(SONDE_DW_STRING(SONDE_DW_ROWS)));
  int files_fd = bpf_map__fd(object.map(SONDE_DW_STRING(SONDE_DW_FILES)));
  // An array map takes its rows in batches.
  constexpr size_t kBatch = 65536;
  std::vector<uint32_t> indexes(std::min(rows_.size(), kBatch));
  for (size_t start = 0; start < rows_.size(); start += kBatch) {
    auto count = static_cast<uint32_t>(std::min(kBatch, rows_.size() - start));
    for (uint32_t i = 0; i < count; i++)
      indexes[i] = static_cast<uint32_t>(start + i);
    if (bpf_map_update_batch(rows_fd, indexes.data(), &rows_[start], &count, nullptr) != 0)
      return error(std::string("cannot load dw_ustack's unwind rows: ") + std::strerror(errno));
  }
  for (const auto &[key, rows] : files_)
    if (bpf_map_update_elem(files_fd, &key, &rows, BPF_ANY) != 0)
      return error(std::string("cannot load dw_ustack's files: ") + std::strerror(errno));
  return {};
}

} // namespace sonde::runtime
