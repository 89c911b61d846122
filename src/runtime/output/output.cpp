#include "runtime/output/output.h"

#include "runtime/output/bytes.h"
#include "runtime/output/json_output.h"
#include "runtime/output/printf_format.h"
#include "runtime/output/text_output.h"

#include <ctime>
#include <ostream>

namespace sonde::output {

namespace {

constexpr const char *default_time_format = "%H:%M:%S\n";

uint64_t wall_clock_ns() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<uint64_t>(now.tv_sec) * 1000000000ull + static_cast<uint64_t>(now.tv_nsec);
}

// Kind::Join: args[0] is an array of argv strings, unused slots empty;
// EventInfo::format is the separator.
std::string join_text(const EventInfo &event, const uint8_t *record_args) {
  const auto &arg = event.args.at(0);
  const types::Type &array = *arg.type;
  std::string text;
  for (uint64_t i = 0; i < array.count; i++) {
    std::string item =
        string_text(*array.element, record_args + arg.offset + i * array.element->size);
    if (item.empty())
      break;
    if (i)
      text += event.format;
    text += item;
  }
  return text;
}

} // namespace

void Output::warning(const std::string &text) {
  if (show_warnings_)
    err_ << "WARNING: " << text << "\n";
}

void Output::begin_capture(std::ostream &sink) {
  saved_out_ = out_.rdbuf(sink.rdbuf());
  saved_err_ = err_.rdbuf(sink.rdbuf());
}

void Output::end_capture() {
  out_.rdbuf(saved_out_);
  err_.rdbuf(saved_err_);
}

namespace {

ast::Location range(uint64_t line, uint64_t column, uint64_t end_column) {
  int l = static_cast<int>(line);
  int c = static_cast<int>(column);
  return {l, c, l, end_column > column ? static_cast<int>(end_column) : c + 1};
}

} // namespace

void Output::located(Severity severity, const EventInfo &event, const std::string &message) {
  if (severity == Severity::Warning && !show_warnings_)
    return;
  render_diagnostic(err_, event.filename, event.source_line,
                    {severity, range(event.line, event.column, event.end_column), message, ""});
  for (const auto &call : event.expanded_from)
    render_diagnostic(
        err_, event.filename, call.text,
        {severity, range(call.line, call.column, call.end_column), "expanded from", ""});
}

void Output::error(const std::string &text) { err_ << "ERROR: " << text << "\n"; }

void Output::note(const std::string &text) { err_ << "NOTE: " << text << "\n"; }

std::string Output::formatted(const EventInfo &event, const uint8_t *record_args) {
  auto [cached, inserted] = formats_.try_emplace(&event);
  if (inserted) {
    auto parsed = types::parse_format_string(event.format);
    if (auto *ok = std::get_if<types::FormatString>(&parsed))
      cached->second = std::move(*ok);
  }
  if (!cached->second)
    return event.format;
  return format_printf(*cached->second, event.args, record_args, formatter_);
}

bool Output::event(const EventInfo &event, const uint8_t *record_args) {
  switch (event.kind) {
  case EventKind::Printf:
    printf(formatted(event, record_args));
    return true;
  case EventKind::Print: {
    const auto &arg = event.args.at(0);
    print_value(*arg.type, record_args + arg.offset);
    return true;
  }
  case EventKind::Time: {
    // The record may carry its time; without it, it is formatted as it is read.
    uint64_t ns =
        event.args.empty() ? wall_clock_ns() : read_u64(record_args + event.args.front().offset);
    time(formatter_.symbols().timestamp(ns,
                                        event.format.empty() ? default_time_format : event.format));
    return true;
  }
  case EventKind::Join:
    join(join_text(event, record_args));
    return true;
  case EventKind::Warnf:
  case EventKind::Errorf:
    located(event.kind == EventKind::Warnf ? Severity::Warning : Severity::Error, event,
            formatted(event, record_args));
    return true;
  default:
    return false;
  }
}

std::unique_ptr<Output> make_output(OutputFormat format, std::ostream &out, std::ostream &err,
                                    const ValueFormatter &formatter) {
  if (format == OutputFormat::Json)
    return std::make_unique<JsonOutput>(out, err, formatter);
  return std::make_unique<TextOutput>(out, err, formatter);
}

} // namespace sonde::output
