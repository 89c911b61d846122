#pragma once

// Renders printf-style records (printf, cat, system, errorf) the way C's
// printf renders the same conversions, flags, widths, precisions and length
// modifiers (so "%d" shows the low 32 bits of a 64-bit value, as in C), plus:
//   %s    any value, in its text form (tuples, records, stacks, ksym…)
//   %r    a buffer or string: printable bytes as is, others as \xNN
//   %rx   every byte as \xNN
//   %rh   every byte as two hex digits, separated by spaces

#include "common/compiled_script.h"
#include "runtime/output/value_formatter.h"
#include "types/format_string.h"

#include <string>
#include <vector>

namespace sonde::output {

// `record_args` points just after the record's 8-byte event id, where the
// EventArg offsets start. The format must be one sema accepted for `args`.
std::string format_printf(const types::FormatString &format, const std::vector<EventArg> &args,
                          const uint8_t *record_args, const ValueFormatter &values);

// Parses `format` first; an unparsable format is returned as it is.
std::string format_printf(const std::string &format, const std::vector<EventArg> &args,
                          const uint8_t *record_args, const ValueFormatter &values);

} // namespace sonde::output
