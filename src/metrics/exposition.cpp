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

std::string escaped(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
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
  return out;
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

void write_sample(std::string &out, const std::string &family, const Sample &sample) {
  out += family;
  out += sample.suffix;
  if (!sample.labels.empty()) {
    out += '{';
    for (size_t i = 0; i < sample.labels.size(); i++) {
      if (i)
        out += ',';
      out += sample.labels[i].name;
      out += "=\"";
      out += escape_label_value(sample.labels[i].value);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  out += sample.value;
  out += '\n';
}

bool has_sum(const MetricFamily &family) {
  return std::any_of(family.samples.begin(), family.samples.end(),
                     [](const Sample &s) { return s.suffix == "_sum"; });
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

void write_exposition(std::string &out, const std::vector<MetricFamily> &families,
                      ExpositionFormat format) {
  bool open_metrics = format == ExpositionFormat::OpenMetrics;
  for (const MetricFamily &family : families) {
    std::string described = family.name;
    if (family.type == MetricType::Counter && !open_metrics)
      described += "_total";
    out += "# HELP " + described + " " + escape_help(family.help, format) + "\n";
    out += "# TYPE " + described + " " + type_name(family.type) + "\n";
    bool drop_count = open_metrics && family.type == MetricType::Histogram && !has_sum(family);
    for (const Sample &sample : family.samples)
      if (!(drop_count && sample.suffix == "_count"))
        write_sample(out, family.name, sample);
  }
  if (open_metrics)
    out += "# EOF\n";
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
