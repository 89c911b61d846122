#pragma once

// Turns a value in BPF memory into its text form (`print`, map entries,
// printf's %s) or its JSON form (-f json), following bpftrace 0.26:
//   integers        5, -3          bool        true
//   strings         abc (the trailer, "..", appended when no NUL fits: truncated)
//   buffers         ab\x01 (text), [97,98,1] (JSON)
//   tuples          (1, abc)       JSON [1,"abc"]
//   records/structs { .a = 1, .b = x }   JSON {"a": 1, "b": "x"}
//   arrays          [1,2,3]        pointers    0xffff1234 (JSON: a number)
//   stacks          "\n" and one frame per line (see StackMode)
//   stats           { .count = 3, .average = 2, .total = 6 }
// Kind::Timestamp takes its strftime format from Type::name ("%H:%M:%S" when
// empty). JSON integers that a double cannot hold exactly become strings.

#include "runtime/output/symbols.h"
#include "types/type.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sonde::output {

// How kstack/ustack values print (config `stack_mode`).
enum class StackMode {
  Bpftrace, // "        vfs_read+5"
  Perf,     // "\tffffffff81234567 vfs_read+5"
  Raw,      // "ffffffff81234567"
  BuildId,  // "        6d3c…e1 + 0x1139" (ustack; kstack prints as Bpftrace)
};

class ValueFormatter {
public:
  explicit ValueFormatter(Symbols &symbols, StackMode stack_mode = StackMode::Bpftrace,
                          std::string truncation_trailer = "..")
      : symbols_(symbols), stack_mode_(stack_mode),
        truncation_trailer_(std::move(truncation_trailer)) {}

  // `div` divides integers and aggregation values (print(@m, top, div)).
  std::string text(const types::Type &type, const uint8_t *bytes, uint64_t div = 1) const;
  std::string json(const types::Type &type, const uint8_t *bytes, uint64_t div = 1) const;

  Symbols &symbols() const { return symbols_; }

private:
  StackMode stack_mode(const types::Type &type) const;
  std::string stack_text(const types::Type &type, const std::vector<StackFrame> &frames) const;
  std::string folded_stack(const std::vector<StackFrame> &frames, size_t end) const;
  std::string formatted_kind_text(const types::Type &type, const uint8_t *bytes) const;
  std::string aggregation_text(const types::Type &type, const uint8_t *bytes, uint64_t div) const;
  std::string aggregation_json(const types::Type &type, const uint8_t *bytes, uint64_t div) const;

  Symbols &symbols_;
  StackMode stack_mode_;
  std::string truncation_trailer_; // config `str_trunc_trailer`
};

// Shared by both forms.
std::string integer_text(const types::Type &type, const uint8_t *bytes, uint64_t div = 1);
// The enumerator an enum value names; null for other integers and values.
const std::string *enumerator_name(const types::Type &type, const uint8_t *bytes);
// `trailer` is appended to a string that filled its buffer without a NUL.
std::string string_text(const types::Type &type, const uint8_t *bytes,
                        std::string_view trailer = "..");
// A C bitfield member of the struct at `struct_bytes`, in decimal.
std::string bitfield_text(const types::Field &field, const uint8_t *struct_bytes);
// The bytes of a Kind::Buffer value.
std::string_view buffer_bytes(const types::Type &type, const uint8_t *bytes);
// Printable ASCII as is, every other byte as \xNN (buf() values, printf %r).
std::string escape_buffer(std::string_view data);

} // namespace sonde::output
