#include "metrics/map_families.h"

#include "metrics/histogram_buckets.h"
#include "runtime/output/aggregate.h"
#include "runtime/output/percpu.h"
#include "runtime/output/value_formatter.h"

#include <charconv>
#include <unordered_map>

namespace sonde::metrics {

using types::Kind;
using types::Type;

namespace {

std::string number(double value) {
  char text[32];
  auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return std::string(text, end);
}

std::string average(const output::StatsValue &v) {
  return v.count ? number(static_cast<double>(v.total) / static_cast<double>(v.count)) : "0";
}

std::string label_name(const std::string &name) {
  if (name == "le" || name == "quantile" || name == "value" || name.starts_with("__"))
    return "key_" + name;
  return name;
}

std::string label_text(const Type &type, const uint8_t *bytes,
                       const output::ValueFormatter &formatter) {
  if (type.kind != Kind::KStack && type.kind != Kind::UStack)
    return formatter.text(type, bytes);
  Type folded = type;
  folded.name = "folded";
  return formatter.text(folded, bytes);
}

std::vector<Label> key_labels(const Type &key, const uint8_t *bytes,
                              const output::ValueFormatter &formatter) {
  std::vector<Label> labels;
  switch (key.kind) {
  case Kind::None:
    break;
  case Kind::Tuple:
    for (size_t i = 0; i < key.fields.size(); i++)
      labels.push_back({"key" + std::to_string(i),
                        label_text(*key.fields[i].type, bytes + key.fields[i].offset, formatter)});
    break;
  case Kind::Record:
    for (const auto &field : key.fields)
      labels.push_back(
          {label_name(field.name), label_text(*field.type, bytes + field.offset, formatter)});
    break;
  default:
    labels.push_back({"key", label_text(key, bytes, formatter)});
    break;
  }
  return labels;
}

MetricType family_type(Kind value) {
  switch (value) {
  case Kind::Count:
  case Kind::Sum:
    return MetricType::Counter;
  case Kind::Stats:
    return MetricType::Summary;
  case Kind::Hist:
  case Kind::LHist:
    return MetricType::Histogram;
  default:
    return MetricType::Gauge;
  }
}

std::string help(const MapInfo &map) {
  const Type &value = *map.value;
  std::string what = value.is_aggregation() ? value.display_name() + "()" : "value";
  if (!value.is_aggregation() && !value.is_integer_like())
    what = "value, in the value label";
  return "sonde map " + map.script_name + ": " + what;
}

void add_histogram(std::vector<Sample> &samples, const Type &type, const uint8_t *value,
                   const std::vector<Label> &labels) {
  std::vector<CumulativeBucket> buckets = cumulative_buckets(type, value);
  for (const CumulativeBucket &bucket : buckets) {
    Sample sample{"_bucket", labels, std::to_string(bucket.count)};
    sample.labels.push_back({"le", bucket.le});
    samples.push_back(std::move(sample));
  }
  samples.push_back({"_count", labels, std::to_string(buckets.back().count)});
}

// The samples of one entry in the map's main family.
void add_samples(std::vector<Sample> &samples, const Type &type, const uint8_t *value,
                 std::vector<Label> labels, const output::ValueFormatter &formatter) {
  switch (type.kind) {
  case Kind::Count:
    samples.push_back({"_total", std::move(labels), std::to_string(output::count_value(value))});
    break;
  case Kind::Sum:
    samples.push_back({"_total", std::move(labels), std::to_string(output::sum_value(value))});
    break;
  case Kind::Min:
  case Kind::Max:
    samples.push_back({"", std::move(labels), std::to_string(output::min_max_value(value))});
    break;
  case Kind::Avg:
    samples.push_back({"", std::move(labels), average(output::stats_value(value))});
    break;
  case Kind::Stats: {
    output::StatsValue stats = output::stats_value(value);
    samples.push_back({"_sum", labels, std::to_string(stats.total)});
    samples.push_back({"_count", std::move(labels), std::to_string(stats.count)});
    break;
  }
  case Kind::Hist:
  case Kind::LHist:
    add_histogram(samples, type, value, labels);
    break;
  case Kind::Integer:
    samples.push_back({"", std::move(labels), output::integer_text(type, value)});
    break;
  case Kind::Bool:
    samples.push_back({"", std::move(labels), value[0] ? "1" : "0"});
    break;
  default:
    labels.push_back({"value", label_text(type, value, formatter)});
    samples.push_back({"", std::move(labels), "1"});
    break;
  }
}

struct LabeledValue {
  std::vector<Label> labels;
  std::vector<uint8_t> value;
  uint64_t merged = 0; // values in `value`, percpu_stride() apart
};

// One value per label set: keys that differ only in bytes the text does not
// show (after a string's NUL) would be duplicate series, which scrapers
// reject. Their values are combined as per-CPU values are (counts add, min
// and max pick, …; of plain values the first stays).
std::vector<LabeledValue> values_by_labels(const MapInfo &map,
                                           const std::vector<output::MapEntry> &entries,
                                           const output::ValueFormatter &formatter) {
  uint64_t stride = output::percpu_stride(*map.value);
  std::vector<LabeledValue> values;
  values.reserve(entries.size());
  std::unordered_map<std::string, size_t> index;
  for (const output::MapEntry &entry : entries) {
    std::vector<Label> labels = key_labels(*map.key, entry.key.data(), formatter);
    std::string identity;
    for (const Label &label : labels)
      identity.append(label.value).push_back('\0');
    auto [at, added] = index.try_emplace(std::move(identity), values.size());
    LabeledValue &same =
        added ? values.emplace_back(LabeledValue{std::move(labels), {}, 0}) : values[at->second];
    same.value.insert(same.value.end(), entry.value.begin(), entry.value.end());
    same.value.resize(++same.merged * stride);
  }
  for (LabeledValue &labeled : values)
    if (labeled.merged > 1)
      labeled.value = output::reduce_percpu(*map.value, labeled.value.data(), labeled.merged);
  return values;
}

} // namespace

std::string map_family_name(const std::string &prefix, const std::string &script_name) {
  std::string name = script_name == "@" ? "map" : script_name.substr(1);
  return prefix.empty() ? name : prefix + "_" + name;
}

std::vector<MetricFamily> map_families(const MapInfo &map,
                                       const std::vector<output::MapEntry> &entries,
                                       const output::ValueFormatter &formatter,
                                       const std::string &prefix) {
  const Type &value = *map.value;
  MetricFamily family{
      map_family_name(prefix, map.script_name), family_type(value.kind), help(map), {}};
  // A counter's samples add "_total"; a map named @x_total is x_total, not
  // x_total_total.
  if (family.type == MetricType::Counter && family.name.ends_with("_total"))
    family.name.resize(family.name.size() - 6);
  MetricFamily averages{family.name + "_average",
                        MetricType::Gauge,
                        "sonde map " + map.script_name + ": stats() average",
                        {}};
  for (LabeledValue &entry : values_by_labels(map, entries, formatter)) {
    if (value.kind == Kind::Stats)
      averages.samples.push_back(
          {"", entry.labels, average(output::stats_value(entry.value.data()))});
    add_samples(family.samples, value, entry.value.data(), std::move(entry.labels), formatter);
  }
  std::vector<MetricFamily> families;
  families.push_back(std::move(family));
  if (value.kind == Kind::Stats)
    families.push_back(std::move(averages));
  return families;
}

} // namespace sonde::metrics
