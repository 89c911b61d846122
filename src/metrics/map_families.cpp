#include "metrics/map_families.h"

#include "metrics/histogram_buckets.h"
#include "runtime/output/aggregate.h"
#include "runtime/output/percpu.h"
#include "runtime/output/tseries_graph.h"
#include "runtime/output/value_formatter.h"

#include <charconv>
#include <functional>
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

// Fills `labels` (reused from entry to entry) with the key's labels.
void key_labels(std::vector<Label> &labels, const Type &key, const uint8_t *bytes,
                const output::ValueFormatter &formatter) {
  labels.clear();
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
}

// Whether different keys of this type always print differently.
bool prints_distinctly(const Type &key) {
  switch (key.kind) {
  case Kind::None:
  case Kind::Integer:
  case Kind::Bool:
  case Kind::Pointer:
    return true;
  case Kind::Tuple:
  case Kind::Record:
    for (const auto &field : key.fields)
      if (!prints_distinctly(*field.type))
        return false;
    return true;
  default:
    return false;
  }
}

using SeriesVisitor = std::function<void(const std::vector<Label> &labels, const uint8_t *value)>;

// Calls `visit` once per distinct label set, in the order of the entries.
void for_each_series(const MapInfo &map, const output::MapEntries &entries,
                     const output::ValueFormatter &formatter, const SeriesVisitor &visit) {
  std::vector<Label> labels;
  if (prints_distinctly(*map.key)) {
    for (size_t i = 0; i < entries.size(); i++) {
      key_labels(labels, *map.key, entries.key(i), formatter);
      visit(labels, entries.value(i));
    }
    return;
  }
  struct Series {
    std::vector<Label> labels;
    std::vector<uint8_t> values; // percpu_stride() apart
    uint64_t count = 0;
  };
  uint64_t stride = output::percpu_stride(*map.value);
  std::vector<Series> series;
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < entries.size(); i++) {
    key_labels(labels, *map.key, entries.key(i), formatter);
    std::string identity;
    for (const Label &label : labels)
      identity.append(label.value).push_back('\0');
    auto [at, added] = index.try_emplace(std::move(identity), series.size());
    Series &same = added ? series.emplace_back(Series{labels, {}, 0}) : series[at->second];
    same.values.insert(same.values.end(), entries.value(i),
                       entries.value(i) + entries.value_size());
    same.values.resize(++same.count * stride);
  }
  for (const Series &one : series) {
    if (one.count == 1) {
      visit(one.labels, one.values.data());
      continue;
    }
    visit(one.labels, output::reduce_percpu(*map.value, one.values.data(), one.count).data());
  }
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

void write_histogram(ExpositionWriter &writer, const Type &type, const uint8_t *value,
                     const std::vector<Label> &labels) {
  std::vector<CumulativeBucket> buckets = cumulative_buckets(type, value);
  for (const CumulativeBucket &bucket : buckets) {
    Label le{"le", bucket.le};
    writer.sample("_bucket", labels, std::to_string(bucket.count), &le);
  }
  writer.sample("_count", labels, std::to_string(buckets.back().count));
}

// The samples of one series of the map's main family.
void write_samples(ExpositionWriter &writer, const Type &type, const uint8_t *value,
                   const std::vector<Label> &labels, const output::ValueFormatter &formatter) {
  switch (type.kind) {
  case Kind::Count:
    writer.sample("_total", labels, std::to_string(output::count_value(value)));
    break;
  case Kind::Sum:
    writer.sample("_total", labels, std::to_string(output::sum_value(value)));
    break;
  case Kind::Min:
  case Kind::Max:
    writer.sample("", labels, std::to_string(output::min_max_value(value)));
    break;
  case Kind::Avg:
    writer.sample("", labels, average(output::stats_value(value)));
    break;
  case Kind::Stats: {
    output::StatsValue stats = output::stats_value(value);
    writer.sample("_sum", labels, std::to_string(stats.total));
    writer.sample("_count", labels, std::to_string(stats.count));
    break;
  }
  case Kind::Hist:
  case Kind::LHist:
    write_histogram(writer, type, value, labels);
    break;
  case Kind::TSeries: {
    // A gauge of the newest interval's value; an emptied (zeroed) entry has none.
    auto points = output::tseries_points(type, value, output::tseries_newest_epoch(type, value));
    if (!points.empty())
      writer.sample("", labels, std::to_string(*points.back().value));
    break;
  }
  case Kind::Integer:
    writer.sample("", labels, output::integer_text(type, value));
    break;
  case Kind::Bool:
    writer.sample("", labels, value[0] ? "1" : "0");
    break;
  default: {
    Label text{"value", label_text(type, value, formatter)};
    writer.sample("", labels, "1", &text);
    break;
  }
  }
}

} // namespace

std::string map_family_name(const std::string &prefix, const std::string &script_name) {
  std::string name = script_name == "@" ? "map" : script_name.substr(1);
  return prefix.empty() ? name : prefix + "_" + name;
}

std::vector<std::string> map_family_names(const MapInfo &map, const std::string &prefix) {
  std::string name = map_family_name(prefix, map.script_name);
  // A counter's samples add "_total"; a map named @x_total is x_total, not
  // x_total_total.
  if (family_type(map.value->kind) == MetricType::Counter && name.ends_with("_total"))
    name.resize(name.size() - 6);
  if (map.value->kind == Kind::Stats)
    return {name, name + "_average"};
  return {name};
}

void write_map_families(ExpositionWriter &writer, const MapInfo &map,
                        const output::MapEntries &entries, const output::ValueFormatter &formatter,
                        const std::string &prefix) {
  const Type &value = *map.value;
  std::vector<std::string> names = map_family_names(map, prefix);
  // The kernel keeps no sum for histograms (see histogram_buckets.h).
  writer.family(names[0], family_type(value.kind), help(map), /*has_sum=*/false);
  for_each_series(map, entries, formatter,
                  [&](const std::vector<Label> &labels, const uint8_t *bytes) {
                    write_samples(writer, value, bytes, labels, formatter);
                  });
  if (value.kind != Kind::Stats)
    return;
  writer.family(names[1], MetricType::Gauge, "sonde map " + map.script_name + ": stats() average");
  for_each_series(map, entries, formatter,
                  [&](const std::vector<Label> &labels, const uint8_t *bytes) {
                    writer.sample("", labels, average(output::stats_value(bytes)));
                  });
}

} // namespace sonde::metrics
