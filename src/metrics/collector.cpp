#include "metrics/collector.h"

#include "metrics/map_families.h"

#include <algorithm>
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

std::string Collector::scrape(ExpositionFormat format) const {
  std::lock_guard one_at_a_time(scraping_);
  std::string text;
  ExpositionWriter writer(text, format);
  std::set<std::string> taken{name("build_info"), name("probes_attached"), name("events_lost"),
                              name("map_entries"), name("map_max_entries")};
  MetricFamily entries{name("map_entries"), MetricType::Gauge, "entries in each map", {}};
  MetricFamily limits{
      name("map_max_entries"), MetricType::Gauge, "the most entries each map can hold", {}};
  for (size_t i = 0; i < maps_.size(); i++) {
    const MapInfo &map = maps_[i];
    // Read one map at a time, so that no more than one is held in memory.
    auto read = reader_.map_entries(i);
    if (!read)
      continue;
    entries.samples.push_back({"", {{"map", map.script_name}}, std::to_string(read->size())});
    limits.samples.push_back({"", {{"map", map.script_name}}, std::to_string(map.max_entries)});
    std::vector<std::string> names = map_family_names(map, prefix_);
    if (std::any_of(names.begin(), names.end(),
                    [&](const std::string &n) { return taken.count(n); }))
      continue;
    taken.insert(names.begin(), names.end());
    write_map_families(writer, map, *read, formatter_, prefix_);
  }
  write_health(writer, std::move(entries), std::move(limits));
  writer.finish();
  return text;
}

void Collector::write_health(ExpositionWriter &writer, MetricFamily entries,
                             MetricFamily limits) const {
  std::vector<MetricFamily> health;
  health.push_back({name("build_info"),
                    MetricType::Gauge,
                    "the version of sonde serving",
                    {{"", {{"version", version_}}, "1"}}});
  health.push_back({name("probes_attached"),
                    MetricType::Gauge,
                    "probes attached",
                    {{"", {}, std::to_string(reader_.attached_probes())}}});
  if (auto lost = reader_.lost_events())
    health.push_back({name("events_lost"),
                      MetricType::Counter,
                      "events dropped because the ring buffer was full",
                      {{"_total", {}, std::to_string(*lost)}}});
  health.push_back(std::move(entries));
  health.push_back(std::move(limits));
  write_families(writer, health);
}

} // namespace sonde::metrics
