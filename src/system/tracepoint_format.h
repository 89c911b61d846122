#pragma once

// The layout of a tracepoint's record, as the kernel describes it in
// tracefs: events/<category>/<event>/format.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonde::system {

struct TracepointField {
  std::string name;
  // The C type as written, without the field name and without an array
  // suffix: "const char *", "pid_t", "unsigned short". For __data_loc and
  // __rel_loc fields it is the element type of the dynamic array ("char").
  std::string type;
  uint64_t offset = 0;
  uint64_t size = 0;
  bool is_signed = false;
  // `char comm[16]` → 16; `char buf[]` → 0; no value for a non-array field.
  std::optional<uint64_t> array_length;
  // The field is a uint32 locating dynamic data: offset in the low 16 bits,
  // length in the high 16. For __rel_loc the offset counts from the end of
  // the field instead of the start of the record.
  bool data_loc = false;
  bool rel_loc = false;

  // The header fields every event shares (common_pid, …).
  bool is_common() const { return name.starts_with("common_"); }
};

struct TracepointFormat {
  std::string name;                    // the event name
  uint64_t id = 0;                     // perf tracepoint id
  std::vector<TracepointField> fields; // in record order, common fields included
};

// Parses the text of a format file. On malformed text returns no value and
// sets `error` to a message naming the offending line.
std::optional<TracepointFormat> parse_tracepoint_format(std::string_view text, std::string &error);

} // namespace sonde::system
