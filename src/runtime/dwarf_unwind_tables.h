#pragma once

// dw_ustack()'s tables (common/bpf_c_abi.h): the unwind rows of each
// file the traced code runs in, keyed by the file's device and inode, as
// the BPF unwinder finds them from a frame's mapping. The files known when
// tracing starts are read before the object is loaded (to size its maps)
// and written into them after; a file a probe meets later is asked for
// through a ring buffer and added while the trace runs, in the room the
// maps keep for it.

#include "common/bpf_c_abi.h"
#include "common/compiled_script.h"
#include "common/expected.h"
#include "runtime/bpf_object.h"

#include <cstdint>
#include <functional>
#include <set>
#include <span>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace sonde::runtime {

// The files whose code dw_ustack will meet first: the binaries the script's
// uprobes and usdt probes probe, the -c command's program (empty for none),
// and every file the processes `pids` (-p, --dwarf-pid) map.
std::vector<std::string> unwind_table_files(const CompiledScript &script,
                                            const std::string &child_program,
                                            const std::vector<pid_t> &pids);

class DwarfUnwindTables {
public:
  using Warn = std::function<void(const std::string &)>;

  // The rows of each file and of the libraries it loads, each file once
  // whatever path names it. A file without unwind information is left out
  // and named to `warn`.
  static DwarfUnwindTables read(const std::vector<std::string> &paths, const Warn &warn);

  // Before loading: the maps sized to hold these tables and the files met
  // later, and `stacks` stacks.
  Status size_maps(const BpfObject &object, uint32_t stacks);
  // After loading: these tables written into the maps.
  Status fill_maps(const BpfObject &object);
  // The ring buffer of files met without rows (struct sonde_dw_request).
  int requests_fd() const { return requests_fd_; }
  // Reads and adds the rows of a requested file, found through the
  // requesting process's mapping of it. A process gone before its mapping
  // is read leaves the file to be asked for again.
  void add_requested(const sonde_dw_request &request, const Warn &warn);

  size_t file_count() const { return file_count_; }
  size_t row_count() const { return row_count_; }

private:
  Status add_rows(const sonde_dw_file_key &key, std::span<const sonde_dw_row> rows);
  bool seen(const sonde_dw_file_key &key) const;

  // Read before loading, written by fill_maps().
  std::vector<sonde_dw_row> rows_;
  std::vector<std::pair<sonde_dw_file_key, sonde_dw_file_rows>> files_;
  std::set<std::pair<uint64_t, uint64_t>> seen_; // device and inode of each file read
  size_t row_count_ = 0;
  size_t file_count_ = 0;
  size_t row_capacity_ = 0;
  size_t file_capacity_ = 0;
  bool warned_full_ = false;
  int rows_fd_ = -1;
  int files_fd_ = -1;
  int requested_fd_ = -1;
  int requests_fd_ = -1;
};

} // namespace sonde::runtime
