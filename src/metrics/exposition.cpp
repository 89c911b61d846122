#include "metrics/exposition.h"

#include <algorithm>
#include <cstdlib>

namespace sonde::metrics {

namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// The length of the well-formed UTF-8 sequence at the start of `s`
// (Unicode table 3-7: no overlong forms, no surrogates, nothing above
// U+10FFFF), or 0.
size_t utf8_sequence_length(std::string_view s) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char lead = byte(0);
  if (lead < 0x80)
    return 1;
  size_t length = lead >= 0xC2 && lead <= 0xDF   ? 2
                  : lead >= 0xE0 && lead <= 0xEF ? 3
                  : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                 : 0;
  if (length == 0 || s.size() < length)
    return 0;
  unsigned char low = 0x80, high = 0xBF;
  if (lead == 0xE0)
    low = 0xA0;
  else if (lead == 0xED)
    high = 0x9F;
  else if (lead == 0xF0)
    low = 0x90;
  else if (lead == 0xF4)
    high = 0x8F;
  if (byte(1) < low || byte(1) > high)
    return 0;
  for (size_t i = 2; i < length; i++)
    if (byte(i) < 0x80 || byte(i) > 0xBF)
      return 0;
  return length;
}

const char *type_name(MetricType type) {
  switch (type) {
  case MetricType::Counter:
    return "counter";
  case MetricType::Histogram:
    return "histogram";
  case MetricType::Summary:
    return "summary";
  case MetricType::Gauge:
    break;
  }
  return "gauge";
}

void append_escaped(std::string &out, std::string_view text, bool quote) {
  while (!text.empty()) {
    size_t plain = 0;
    while (plain < text.size()) {
      auto c = static_cast<unsigned char>(text[plain]);
      if (c >= 0x80 || c == '\\' || c == '\n' || c == '"')
        break;
      plain++;
    }
    out.append(text.substr(0, plain));
    text.remove_prefix(plain);
    if (text.empty())
      break;
    size_t length = utf8_sequence_length(text);
    if (length == 0) {
      out += kReplacementCharacter;
      text.remove_prefix(1);
      continue;
    }
    char c = text[0];
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && quote)
      out += "\\\"";
    else
      out.append(text.substr(0, length));
    text.remove_prefix(length);
  }
}

std::string escaped(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text, quote);
  return out;
}

void append_label(std::string &out, const Label &label) {
  out += label.name;
  out += "=\"";
  append_escaped(out, label.value, true);
  out += '"';
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// One media range of an Accept header: its type and its q (1 when absent).
std::pair<std::string_view, double> media_range(std::string_view range) {
  size_t semicolon = range.find(';');
  std::string_view type = trimmed(range.substr(0, semicolon));
  double q = 1;
  while (semicolon != std::string_view::npos) {
    range.remove_prefix(semicolon + 1);
    semicolon = range.find(';');
    std::string_view parameter = trimmed(range.substr(0, semicolon));
    if (parameter.starts_with("q="))
      q = std::strtod(std::string(parameter.substr(2)).c_str(), nullptr);
  }
  return {type, q};
}

} // namespace

std::string escape_label_value(std::string_view value) { return escaped(value, true); }

std::string escape_help(std::string_view help, ExpositionFormat format) {
  return escaped(help, format == ExpositionFormat::OpenMetrics);
}

bool is_metric_name(std::string_view name) {
  if (name.empty())
    return false;
  for (size_t i = 0; i < name.size(); i++) {
    char c = name[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!letter && !(i > 0 && c >= '0' && c <= '9'))
      return false;
  }
  return true;
}

void ExpositionWriter::family(const std::string &name, MetricType type, const std::string &help,
                              bool has_sum) {
  bool open_metrics = format_ == ExpositionFormat::OpenMetrics;
  std::string described = name;
  if (type == MetricType::Counter && !open_metrics)
    described += "_total";
  out_ += "# HELP " + described + " " + escape_help(help, format_) + "\n";
  out_ += "# TYPE " + described + " " + type_name(type) + "\n";
  family_ = name;
  drop_count_ = open_metrics && type == MetricType::Histogram && !has_sum;
}

void ExpositionWriter::sample(std::string_view suffix, const std::vector<Label> &labels,
                              std::string_view value, const Label *extra) {
  if (drop_count_ && suffix == "_count")
    return;
  out_ += family_;
  out_ += suffix;
  if (!labels.empty() || extra) {
    out_ += '{';
    for (const Label &label : labels) {
      append_label(out_, label);
      out_ += ',';
    }
    if (extra)
      append_label(out_, *extra);
    else
      out_.pop_back();
    out_ += '}';
  }
  out_ += ' ';
  out_ += value;
  out_ += '\n';
}

void ExpositionWriter::finish() {
  if (format_ == ExpositionFormat::OpenMetrics)
    out_ += "# EOF\n";
}

void write_families(ExpositionWriter &writer, const std::vector<MetricFamily> &families) {
  for (const MetricFamily &family : families) {
    bool has_sum = std::any_of(family.samples.begin(), family.samples.end(),
                               [](const Sample &s) { return s.suffix == "_sum"; });
    writer.family(family.name, family.type, family.help, has_sum);
    for (const Sample &sample : family.samples)
      writer.sample(sample.suffix, sample.labels, sample.value);
  }
}

ExpositionFormat negotiate_format(std::string_view accept) {
  double open_metrics = 0, text = 0;
  while (!accept.empty()) {
    size_t comma = accept.find(',');
    auto [type, q] = media_range(accept.substr(0, comma));
    if (type == "application/openmetrics-text")
      open_metrics = std::max(open_metrics, q);
    else if (type == "text/plain" || type == "text/*" || type == "*/*")
      text = std::max(text, q);
    accept = comma == std::string_view::npos ? "" : accept.substr(comma + 1);
  }
  return open_metrics > 0 && open_metrics >= text ? ExpositionFormat::OpenMetrics
                                                  : ExpositionFormat::Prometheus;
}

std::string content_type(ExpositionFormat format) {
  return format == ExpositionFormat::OpenMetrics
             ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
             : "text/plain; version=0.0.4; charset=utf-8";
}

} // namespace sonde::metrics
