#include "runtime/output/aggregate.h"
#include "runtime/output/bytes.h"
#include "runtime/output/histogram_rows.h"
#include "runtime/output/value_formatter.h"

#include <arpa/inet.h>
#include <cstdio>
#include <cstring>
#include <sys/socket.h>

namespace sonde::output {

using types::Kind;
using types::Type;

namespace {

constexpr const char *default_time_format = "%H:%M:%S";

std::string inet_text(const uint8_t *bytes) {
  uint64_t family = read_u64(bytes);
  char text[INET6_ADDRSTRLEN];
  int af = family == AF_INET ? AF_INET : family == AF_INET6 ? AF_INET6 : -1;
  if (af < 0 || !inet_ntop(af, bytes + 8, text, sizeof text))
    return "[unknown address family " + std::to_string(family) + "]";
  return text;
}

std::string mac_text(const uint8_t *bytes) {
  char text[18];
  std::snprintf(text, sizeof text, "%02X:%02X:%02X:%02X:%02X:%02X", bytes[0], bytes[1], bytes[2],
                bytes[3], bytes[4], bytes[5]);
  return text;
}

std::string hex_digits(uint64_t address) { return hex_address(address).substr(2); }

} // namespace

std::string ValueFormatter::text(const Type &type, const uint8_t *bytes, uint64_t div) const {
  switch (type.kind) {
  case Kind::None:
    return "";
  case Kind::Integer:
    return integer_text(type, bytes, div);
  case Kind::Bool:
    return bytes[0] ? "true" : "false";
  case Kind::String:
    return string_text(type, bytes, truncation_trailer_);
  case Kind::Buffer:
    return escape_buffer(buffer_bytes(type, bytes));
  case Kind::Tuple: {
    std::string s = "(";
    for (size_t i = 0; i < type.fields.size(); i++) {
      if (i)
        s += ", ";
      s += text(*type.fields[i].type, bytes + type.fields[i].offset);
    }
    return s + ")";
  }
  case Kind::Record:
  case Kind::Struct: {
    if (type.fields.empty())
      return "{}";
    std::string s = "{ ";
    for (size_t i = 0; i < type.fields.size(); i++) {
      const auto &field = type.fields[i];
      if (i)
        s += ", ";
      s += "." + field.name + " = ";
      s += field.bit_width ? bitfield_text(field, bytes) : text(*field.type, bytes + field.offset);
    }
    return s + " }";
  }
  case Kind::Pointer:
    return hex_address(read_u64(bytes));
  case Kind::Array: {
    std::string s = "[";
    for (uint64_t i = 0; i < type.count; i++) {
      if (i)
        s += ",";
      s += text(*type.element, bytes + i * type.element->size);
    }
    return s + "]";
  }
  default:
    if (type.is_aggregation())
      return aggregation_text(type, bytes, div);
    return formatted_kind_text(type, bytes);
  }
}

std::string ValueFormatter::formatted_kind_text(const Type &type, const uint8_t *bytes) const {
  uint64_t first = read_u64(bytes);
  switch (type.kind) {
  case Kind::KStack:
    return stack_text(type, symbols_.kstack(first));
  case Kind::UStack:
    if (stack_mode(type) == StackMode::BuildId)
      return stack_text(type, symbols_.ustack_build_ids(first, read_u64(bytes + 8)));
    return stack_text(type, symbols_.ustack(first, read_u64(bytes + 8)));
  case Kind::Ksym:
    return symbols_.ksym(first);
  case Kind::Usym:
    return symbols_.usym(first, read_u64(bytes + 8));
  case Kind::Username:
    return symbols_.username(first);
  case Kind::ProbeName:
    return symbols_.probe_name(first);
  case Kind::Timestamp:
    return symbols_.timestamp(first, type.name.empty() ? default_time_format : type.name);
  case Kind::Inet:
    return inet_text(bytes);
  case Kind::MacAddr:
    return mac_text(bytes);
  case Kind::Errno:
    return std::strerror(static_cast<int>(first));
  case Kind::SyscallName:
    return symbols_.syscall_name(first);
  case Kind::CgroupPath:
    return symbols_.cgroup_path(first, type.name.empty() ? "*" : type.name);
  default:
    return "";
  }
}

// kstack(folded): one line, outermost frame first, names without offsets,
// joined by ';' — the form flame graph tools read.
std::string ValueFormatter::folded_stack(const std::vector<StackFrame> &frames, size_t end) const {
  std::string s;
  for (size_t i = end; i > 0; i--) {
    const auto &frame = frames[i - 1];
    std::string name = frame.symbol.empty() ? hex_address(frame.address) : frame.symbol;
    if (auto plus = name.rfind('+'); !frame.inlined && plus != std::string::npos && plus > 0)
      name.resize(plus);
    s += (s.empty() ? "" : ";") + name;
  }
  return s;
}

namespace {

// `main+20@/src/main.c:7`, `[inlined] helper@/src/main.c:3`.
std::string bpftrace_frame(const StackFrame &frame) {
  if (frame.symbol.empty())
    return hex_address(frame.address);
  std::string text = (frame.inlined ? "[inlined] " : "") + frame.symbol;
  return frame.source.empty() ? text : text + "@" + frame.source;
}

// `main+20 (/usr/bin/prog)`, `helper (inlined)`: no source lines.
std::string perf_frame(const StackFrame &frame) {
  if (frame.inlined)
    return frame.symbol + " (inlined)";
  std::string name = !frame.symbol.empty()  ? frame.symbol
                     : frame.module.empty() ? "[unknown]"
                                            : hex_address(frame.address);
  return frame.module.empty() ? name : name + " (" + frame.module + ")";
}

// The frames of the first `limit` addresses (0: all); an address's inlined
// frames come with it.
size_t frames_end(const std::vector<StackFrame> &frames, uint64_t limit) {
  if (limit == 0)
    return frames.size();
  size_t addresses = 0;
  for (size_t i = 0; i < frames.size(); i++)
    if (!frames[i].inlined && ++addresses == limit)
      return i + 1;
  return frames.size();
}

} // namespace

// A mode of the call (Type::name) wins over the configured one; build_id is
// for user stacks only.
StackMode ValueFormatter::stack_mode(const Type &type) const {
  StackMode mode = type.name == "perf"       ? StackMode::Perf
                   : type.name == "raw"      ? StackMode::Raw
                   : type.name == "build_id" ? StackMode::BuildId
                   : type.name == "bpftrace" ? StackMode::Bpftrace
                                             : stack_mode_;
  return mode == StackMode::BuildId && type.kind != Kind::UStack ? StackMode::Bpftrace : mode;
}

// kstack(perf, 5): a mode and a frame limit of the call (Type::name, count)
// win over the configured mode. The limit counts addresses, so inlined
// frames can make more lines.
std::string ValueFormatter::stack_text(const Type &type,
                                       const std::vector<StackFrame> &frames) const {
  StackMode mode = stack_mode(type);
  size_t end = frames_end(frames, type.count);
  if (type.name == "folded")
    return folded_stack(frames, end);
  std::string s = "\n";
  for (size_t i = 0; i < end; i++) {
    const auto &frame = frames[i];
    switch (mode) {
    case StackMode::Bpftrace:
      s += "        " + bpftrace_frame(frame);
      break;
    case StackMode::Perf:
      s += "\t" + hex_digits(frame.address) + " " + perf_frame(frame);
      break;
    case StackMode::Raw:
      if (frame.inlined)
        continue;
      s += hex_digits(frame.address);
      break;
    case StackMode::BuildId:
      s += "        " + (frame.build_id.empty()
                             ? hex_address(frame.address)
                             : frame.build_id + " + " + hex_address(frame.file_offset));
      break;
    }
    s += "\n";
  }
  return s;
}

std::string ValueFormatter::aggregation_text(const Type &type, const uint8_t *bytes,
                                             uint64_t div) const {
  if (div == 0)
    div = 1;
  auto sdiv = static_cast<int64_t>(div);
  switch (type.kind) {
  case Kind::Count:
    return std::to_string(count_value(bytes) / div);
  case Kind::Sum:
    return std::to_string(sum_value(bytes) / sdiv);
  case Kind::Min:
  case Kind::Max:
    return std::to_string(min_max_value(bytes) / sdiv);
  case Kind::Avg:
    return std::to_string(stats_value(bytes).average / sdiv);
  case Kind::Stats: {
    StatsValue v = stats_value(bytes);
    return "{ .count = " + std::to_string(v.count) +
           ", .average = " + std::to_string(v.average / sdiv) +
           ", .total = " + std::to_string(v.total) + " }";
  }
  case Kind::Hist:
  case Kind::LHist:
    return histogram_text(histogram_rows(type, bytes, div));
  default:
    return "";
  }
}

} // namespace sonde::output
