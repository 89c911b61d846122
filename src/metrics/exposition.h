#pragma once

// Metric families and their text form: the Prometheus text exposition format
// 0.0.4, or OpenMetrics 1.0.0 when the scraper asks for it.
//
// A family is written as `# HELP`, `# TYPE` and its samples. The formats
// differ in three places: a counter's TYPE line names `x_total` in 0.0.4 and
// `x` in OpenMetrics (the samples are `x_total` in both); OpenMetrics ends
// with `# EOF`; and OpenMetrics allows a histogram's `_count` only beside a
// `_sum`, so a histogram without a sum is written there with its buckets
// alone (the `+Inf` bucket is the count).

#include <string>
#include <string_view>
#include <vector>

namespace sonde::metrics {

enum class MetricType { Counter, Gauge, Histogram, Summary };

enum class ExpositionFormat { Prometheus, OpenMetrics };

struct Label {
  std::string name;
  std::string value; // any bytes; escaped (and made valid UTF-8) when written
};

struct Sample {
  std::string suffix; // appended to the family name: "_total", "_bucket", "" …
  std::vector<Label> labels;
  std::string value; // a number as text: "5", "-3", "2.5", "+Inf"
};

struct MetricFamily {
  std::string name; // without a counter's "_total"
  MetricType type = MetricType::Gauge;
  std::string help;
  std::vector<Sample> samples;
};

// Writes an exposition sample by sample, so that a large map is never held
// as families in memory: family() starts a family, sample() adds to it,
// finish() ends the exposition.
class ExpositionWriter {
public:
  ExpositionWriter(std::string &out, ExpositionFormat format) : out_(out), format_(format) {}

  // `has_sum`: whether a histogram will have _sum samples (see above).
  void family(const std::string &name, MetricType type, const std::string &help,
              bool has_sum = true);
  // `extra`: one more label after `labels` (a bucket's le).
  void sample(std::string_view suffix, const std::vector<Label> &labels, std::string_view value,
              const Label *extra = nullptr);
  void finish();

private:
  std::string &out_;
  ExpositionFormat format_;
  std::string family_;
  bool drop_count_ = false;
};

// Writes whole families, in the order given.
void write_families(ExpositionWriter &writer, const std::vector<MetricFamily> &families);

// The format to answer a request with the given Accept header.
ExpositionFormat negotiate_format(std::string_view accept);

std::string content_type(ExpositionFormat format);

// A label value or HELP text as the formats require: backslash, newline
// (and in label values the double quote) escaped; bytes that are not UTF-8
// become U+FFFD, since a scraper rejects the whole exposition otherwise.
std::string escape_label_value(std::string_view value);
std::string escape_help(std::string_view help, ExpositionFormat format);

// Whether `name` is a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*).
bool is_metric_name(std::string_view name);

} // namespace sonde::metrics
