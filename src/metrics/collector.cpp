#include "metrics/collector.h"

#include "metrics/map_families.h"

#include <set>

namespace sonde::metrics {

Collector::Collector(const std::vector<MapInfo> &maps, SessionReader reader,
                     const output::ValueFormatter &formatter, std::string prefix,
                     std::string version)
    : maps_(maps), reader_(std::move(reader)), formatter_(formatter), prefix_(std::move(prefix)),
      version_(std::move(version)) {}

std::string Collector::name(const std::string &suffix) const {
  return prefix_.empty() ? suffix : prefix_ + "_" + suffix;
}

std::vector<MetricFamily> Collector::collect() const {
  std::vector<MetricFamily> families;
  families.push_back({name("build_info"),
                      MetricType::Gauge,
                      "the version of sonde serving",
                      {{"", {{"version", version_}}, "1"}}});
  families.push_back({name("probes_attached"),
                      MetricType::Gauge,
                      "probes attached",
                      {{"", {}, std::to_string(reader_.attached_probes())}}});
  if (auto lost = reader_.lost_events())
    families.push_back({name("events_lost"),
                        MetricType::Counter,
                        "events dropped because the ring buffer was full",
                        {{"_total", {}, std::to_string(*lost)}}});
  MetricFamily entries{name("map_entries"), MetricType::Gauge, "entries in each map", {}};
  MetricFamily limits{
      name("map_max_entries"), MetricType::Gauge, "the most entries each map can hold", {}};
  std::vector<MetricFamily> map_metrics;
  for (size_t i = 0; i < maps_.size(); i++) {
    const MapInfo &map = maps_[i];
    auto read = reader_.map_entries(i);
    if (!read)
      continue;
    entries.samples.push_back({"", {{"map", map.script_name}}, std::to_string(read->size())});
    limits.samples.push_back({"", {{"map", map.script_name}}, std::to_string(map.max_entries)});
    for (MetricFamily &family : map_families(map, *read, formatter_, prefix_))
      map_metrics.push_back(std::move(family));
  }
  families.push_back(std::move(entries));
  families.push_back(std::move(limits));
  std::set<std::string> taken;
  for (const MetricFamily &family : families)
    taken.insert(family.name);
  for (MetricFamily &family : map_metrics)
    if (taken.insert(family.name).second)
      families.push_back(std::move(family));
  return families;
}

std::string Collector::scrape(ExpositionFormat format) const {
  std::string text;
  write_exposition(text, collect(), format);
  return text;
}

} // namespace sonde::metrics
