#pragma once

// The probe providers answering sema's questions about attach points.

#include "sema/probe_catalog.h"
#include "system/tracepoint_format.h"

namespace sonde::probes {

class ProviderCatalog : public sema::ProbeCatalog {
public:
  sema::Expansion expand(const std::string &attach_point) override;
  types::TypePtr tracepoint_args(const std::string &category, const std::string &event) override;
  std::vector<sema::ArgumentLayout> usdt_layouts(const sema::ProbeTarget &target) override;
  types::TypePtr function_args(const sema::ProbeTarget &target) override;
};

// The `args` struct of a tracepoint: its non-common fields at their record
// offsets. `char x[N]` is a string, other fixed arrays are arrays, pointers
// point to integers or to named structs (user memory for `syscalls`),
// __data_loc fields are zero-length arrays of their element with
// Field::data_loc set, and anything else is an integer of the field's size.
types::TypePtr tracepoint_args_type(const std::string &category,
                                    const system::TracepointFormat &format);

} // namespace sonde::probes
