#pragma once

// dw_ustack()'s tables (common/dwarf_unwind_abi.h): the unwind rows of each
// file the traced code may run in, keyed by the file's device and inode, as
// the BPF unwinder finds them from a frame's mapping. Read before the
// object is loaded, to size its maps, and written into them after.

#include "common/compiled_script.h"
#include "common/dwarf_unwind_abi.h"
#include "common/expected.h"
#include "runtime/bpf_object.h"

#include <functional>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace sonde::runtime {

// The files whose code dw_ustack may unwind through: the binaries the
// script's uprobes and usdt probes probe, the -c command's program (empty
// for none), and every file the processes `pids` (-p, --dwarf-pid) map.
std::vector<std::string> unwind_table_files(const CompiledScript &script,
                                            const std::string &child_program,
                                            const std::vector<pid_t> &pids);

class DwarfUnwindTables {
public:
  // The rows of each file and of the libraries it loads, each file once
  // whatever path names it. A file without unwind information is left out
  // and named to `warn`.
  static DwarfUnwindTables read(const std::vector<std::string> &paths,
                                const std::function<void(const std::string &)> &warn);

  // Before loading: the maps sized to hold the tables, and `stacks` stacks.
  Status size_maps(const BpfObject &object, uint32_t stacks) const;
  // After loading: the tables written into the maps.
  Status fill_maps(const BpfObject &object) const;

  size_t file_count() const { return files_.size(); }
  size_t row_count() const { return rows_.size(); }

private:
  std::vector<sonde_dw_row> rows_;
  std::vector<std::pair<sonde_dw_file_key, sonde_dw_file_rows>> files_;
};

} // namespace sonde::runtime
