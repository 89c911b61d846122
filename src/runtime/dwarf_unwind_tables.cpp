#include "runtime/dwarf_unwind_tables.h"

#include "common/probe_kind.h"
#include "runtime/probes/listing.h"
#include "system/elf_file.h"
#include "system/ld_cache.h"
#include "system/process_maps.h"
#include "system/unwind_rows.h"

#include <algorithm>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <deque>
#include <sys/stat.h>
#include <sys/sysmacros.h>

namespace sonde::runtime {

namespace {

// Room for the files met while tracing, beyond those read at the start: 16
// MiB of rows (libc has 28,270, libLLVM 1.2 million).
constexpr size_t kSpareRows = size_t{1} << 20;
constexpr size_t kSpareFiles = 4096;

// The kernel's name of a file: its superblock's device (MKDEV: major << 20
// | minor) and its inode.
std::optional<sonde_dw_file_key> file_key(const std::string &path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    return std::nullopt;
  return sonde_dw_file_key{(uint64_t{major(st.st_dev)} << 20) | minor(st.st_dev), st.st_ino};
}

// The same from /proc/PID/maps's "fd:01 1234567" (hex major:minor, inode).
std::optional<sonde_dw_file_key> mapping_key(const std::string &file_id) {
  unsigned major_number = 0, minor_number = 0;
  uint64_t inode = 0;
  if (std::sscanf(file_id.c_str(), "%x:%x %" SCNu64, &major_number, &minor_number, &inode) != 3)
    return std::nullopt;
  return sonde_dw_file_key{(uint64_t{major_number} << 20) | minor_number, inode};
}

Status resize(const BpfObject &object, const char *name, size_t entries) {
  bpf_map *map = object.map(name);
  if (!map)
    return error(std::string("the BPF object has no map '") + name + "'");
  if (bpf_map__set_max_entries(map, static_cast<uint32_t>(std::max<size_t>(entries, 1))) != 0)
    return error(std::string("cannot size dw_ustack's ") + name + ": " + std::strerror(errno));
  return {};
}

int map_fd(const BpfObject &object, const char *name) {
  const bpf_map *map = object.map(name);
  return map ? bpf_map__fd(map) : -1;
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
  for (pid_t pid : pids)
    for (std::string &binary : probes::process_binaries(pid))
      paths.push_back(std::move(binary));
  return paths;
}

bool DwarfUnwindTables::seen(const sonde_dw_file_key &key) const {
  return seen_.count({key.dev, key.ino}) != 0;
}

DwarfUnwindTables DwarfUnwindTables::read(const std::vector<std::string> &paths, const Warn &warn) {
  DwarfUnwindTables tables;
  std::deque<std::string> pending(paths.begin(), paths.end());
  while (!pending.empty()) {
    std::string path = std::move(pending.front());
    pending.pop_front();
    auto key = file_key(path);
    if (!key || !tables.seen_.insert({key->dev, key->ino}).second)
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
  tables.row_count_ = tables.rows_.size();
  tables.file_count_ = tables.files_.size();
  return tables;
}

Status DwarfUnwindTables::size_maps(const BpfObject &object, uint32_t stacks) {
  row_capacity_ = rows_.size() + kSpareRows;
  file_capacity_ = files_.size() + kSpareFiles;
  if (Status status = resize(object, SONDE_BPF_C_STRING(SONDE_DW_ROWS), row_capacity_); !status)
    return status;
  if (Status status = resize(object, SONDE_BPF_C_STRING(SONDE_DW_STACKS), stacks); !status)
    return status;
  return resize(object, SONDE_BPF_C_STRING(SONDE_DW_FILES), file_capacity_);
}

Status DwarfUnwindTables::fill_maps(const BpfObject &object) {
  rows_fd_ = map_fd(object, SONDE_BPF_C_STRING(SONDE_DW_ROWS));
  files_fd_ = map_fd(object, SONDE_BPF_C_STRING(SONDE_DW_FILES));
  requested_fd_ = map_fd(object, "sonde_dw_requested");
  requests_fd_ = map_fd(object, SONDE_BPF_C_STRING(SONDE_DW_REQUESTS));
  if (rows_fd_ < 0 || files_fd_ < 0 || requested_fd_ < 0 || requests_fd_ < 0)
    return error("the BPF object lacks dw_ustack's maps");
  row_count_ = 0;
  file_count_ = 0;
  for (const auto &[key, rows] : files_)
    if (Status status = add_rows(key, std::span(rows_).subspan(rows.first, rows.count)); !status)
      return status;
  rows_ = {};
  files_ = {};
  return {};
}

// The rows first, then the file that points at them: a probe never sees a
// file whose rows are not there yet.
Status DwarfUnwindTables::add_rows(const sonde_dw_file_key &key,
                                   std::span<const sonde_dw_row> rows) {
  // An array map takes its rows in batches.
  constexpr size_t kBatch = 65536;
  std::vector<uint32_t> indexes(std::min(rows.size(), kBatch));
  for (size_t start = 0; start < rows.size(); start += kBatch) {
    auto count = static_cast<uint32_t>(std::min(kBatch, rows.size() - start));
    for (uint32_t i = 0; i < count; i++)
      indexes[i] = static_cast<uint32_t>(row_count_ + start + i);
    if (bpf_map_update_batch(rows_fd_, indexes.data(), &rows[start], &count, nullptr) != 0)
      return error(std::string("cannot load dw_ustack's unwind rows: ") + std::strerror(errno));
  }
  sonde_dw_file_rows where{static_cast<uint32_t>(row_count_), static_cast<uint32_t>(rows.size())};
  if (bpf_map_update_elem(files_fd_, &key, &where, BPF_ANY) != 0)
    return error(std::string("cannot load dw_ustack's files: ") + std::strerror(errno));
  row_count_ += rows.size();
  file_count_++;
  return {};
}

void DwarfUnwindTables::add_requested(const sonde_dw_request &request, const Warn &warn) {
  if (seen(request.file))
    return;
  std::string path, name;
  auto pid = static_cast<pid_t>(request.pid);
  for (const auto &mapping : system::code_mappings(system::read_process_maps(pid))) {
    auto key = mapping_key(mapping.file_id);
    if (key && key->dev == request.file.dev && key->ino == request.file.ino) {
      // The mapped file itself, whatever namespace or name it has now.
      path = "/proc/" + std::to_string(pid) + "/map_files/" + mapping.range;
      name = mapping.path;
      break;
    }
  }
  if (path.empty()) {
    // Gone already: the next frame in the file asks again.
    bpf_map_delete_elem(requested_fd_, &request.file);
    return;
  }
  seen_.insert({request.file.dev, request.file.ino});
  auto rows = system::unwind_rows(path);
  if (!rows) {
    std::string reason = rows.error();
    if (size_t at = reason.find(path); at != std::string::npos)
      reason.replace(at, path.size(), name);
    warn("dw_ustack: " + reason + "; its frames end the stacks");
    return;
  }
  if (row_count_ + rows->size() > row_capacity_ || file_count_ >= file_capacity_) {
    if (!std::exchange(warned_full_, true))
      warn("dw_ustack: the unwind tables are full (" + std::to_string(row_count_) +
           " rows); the frames of files met from now on end the stacks");
    return;
  }
  if (Status status = add_rows(request.file, *rows); !status)
    warn("dw_ustack: " + status.error());
}

} // namespace sonde::runtime
