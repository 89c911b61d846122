#include "runtime/output/aggregate.h"
#include "runtime/output/bytes.h"
#include "runtime/output/histogram_rows.h"
#include "runtime/output/json_string.h"
#include "runtime/output/value_formatter.h"

namespace sonde::output {

using types::Kind;
using types::Type;

namespace {

// Integers are written with every digit, as bpftrace does; JSON itself sets
// no limit (readers that parse numbers as doubles may round past 2^53).
template <typename T> std::string json_integer(T v) { return std::to_string(v); }

std::string json_integer_of(const Type &type, const uint8_t *bytes, uint64_t div) {
  uint64_t raw = read_integer(type, bytes);
  if (div == 0)
    div = 1;
  if (type.is_signed)
    return json_integer(static_cast<int64_t>(raw) / static_cast<int64_t>(div));
  return json_integer(raw / div);
}

} // namespace

std::string ValueFormatter::json(const Type &type, const uint8_t *bytes, uint64_t div) const {
  switch (type.kind) {
  case Kind::None:
    return "null";
  case Kind::Integer:
    // Enum values stay numbers, as programs reading bpftrace's JSON expect
    // (printf's %s still names them).
    return json_integer_of(type, bytes, div);
  case Kind::Bool:
    return bytes[0] ? "true" : "false";
  case Kind::String:
    return json_quote(string_text(type, bytes, truncation_trailer_));
  case Kind::Buffer: {
    std::string s = "[";
    std::string_view data = buffer_bytes(type, bytes);
    for (size_t i = 0; i < data.size(); i++) {
      if (i)
        s += ",";
      s += std::to_string(static_cast<unsigned char>(data[i]));
    }
    return s + "]";
  }
  case Kind::Tuple: {
    std::string s = "[";
    for (size_t i = 0; i < type.fields.size(); i++) {
      if (i)
        s += ",";
      s += json(*type.fields[i].type, bytes + type.fields[i].offset);
    }
    return s + "]";
  }
  case Kind::Record:
  case Kind::Struct: {
    std::string s = "{";
    for (size_t i = 0; i < type.fields.size(); i++) {
      const auto &field = type.fields[i];
      if (i)
        s += ", ";
      s += json_quote(field.name) + ": ";
      s += field.bit_width ? bitfield_text(field, bytes) : json(*field.type, bytes + field.offset);
    }
    return s + "}";
  }
  case Kind::Pointer:
    return json_integer(read_u64(bytes));
  case Kind::Array: {
    // Bytes standing for a C type without a kind here (a float).
    if (!type.name.empty())
      return "null";
    std::string s = "[";
    for (uint64_t i = 0; i < type.count; i++) {
      if (i)
        s += ",";
      s += json(*type.element, bytes + i * type.element->size);
    }
    return s + "]";
  }
  default:
    if (type.is_aggregation())
      return aggregation_json(type, bytes, div);
    return json_quote(formatted_kind_text(type, bytes));
  }
}

std::string ValueFormatter::aggregation_json(const Type &type, const uint8_t *bytes,
                                             uint64_t div) const {
  if (div == 0)
    div = 1;
  auto sdiv = static_cast<int64_t>(div);
  switch (type.kind) {
  case Kind::Count:
    return json_integer(count_value(bytes) / div);
  case Kind::Sum:
    return json_integer(sum_value(bytes) / sdiv);
  case Kind::Min:
  case Kind::Max:
    return json_integer(min_max_value(bytes) / sdiv);
  case Kind::Avg:
    return json_integer(stats_value(bytes).average / sdiv);
  case Kind::Stats: {
    StatsValue v = stats_value(bytes);
    return "{\"count\": " + json_integer(v.count) +
           ", \"average\": " + json_integer(v.average / sdiv) +
           ", \"total\": " + json_integer(v.total) + "}";
  }
  case Kind::Hist:
  case Kind::LHist:
    return histogram_json(histogram_rows(type, bytes, div));
  default:
    return "null";
  }
}

} // namespace sonde::output
