#pragma once

// The probe providers answering sema's questions about attach points.

#include "runtime/probes/attach_point.h"
#include "sema/probe_catalog.h"
#include "system/tracepoint_format.h"

#include <optional>
#include <sys/types.h>

namespace sonde::probes {

class ProviderCatalog : public sema::ProbeCatalog {
public:
  // With -p: a uprobe or usdt attach point with an empty binary
  // (`usdt::probe`, `uprobe::f`) stands for every file the process maps.
  explicit ProviderCatalog(std::optional<pid_t> target_pid = std::nullopt)
      : target_pid_(target_pid) {}

  sema::Expansion expand(const std::string &attach_point) override;
  types::TypePtr tracepoint_args(const std::string &category, const std::string &event) override;
  std::vector<sema::ArgumentLayout> usdt_layouts(const sema::ProbeTarget &target) override;
  types::TypePtr function_args(const sema::ProbeTarget &target) override;
  types::TypePtr user_type(const std::string &binary, const std::string &c_name) override;
  std::string unsafe_attach(const sema::ProbeTarget &target) override;

private:
  sema::Expansion expand_in_process(const AttachPointSpec &spec, const std::string &attach_point);

  std::optional<pid_t> target_pid_;
};

// The `args` struct of a tracepoint: its non-common fields at their record
// offsets. `char x[N]` is a string, other fixed arrays are arrays, pointers
// point to integers or to named structs (user memory for `syscalls`),
// __data_loc fields are zero-length arrays of their element with
// Field::data_loc set, and anything else is an integer of the field's size.
types::TypePtr tracepoint_args_type(const std::string &category,
                                    const system::TracepointFormat &format);

} // namespace sonde::probes
