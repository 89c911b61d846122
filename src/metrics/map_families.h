#pragma once

// A script map as metric families (the mapping the man page documents):
//
//   @name                    family <prefix>_name; "@" alone is <prefix>_map
//   keys                     labels: key (one value), key0, key1, … (tuple),
//                            the field names (record); label names le,
//                            quantile and value, and those starting with __,
//                            get a key_ prefix
//   count(), sum()           counter (<name>_total)
//   integers, bools,         gauge
//   min(), max(), avg()
//   stats()                  summary (<name>_sum, <name>_count) and a gauge
//                            family <name>_average
//   hist(), lhist()          histogram (<name>_bucket, <name>_count; no _sum:
//                            the kernel keeps none, see histogram_buckets.h)
//   any other value          gauge 1 with the value's text in a "value" label
//
// Key and value text is what the printer shows (symbols resolved, strings as
// text); stacks are folded ("outer;inner") to fit on one line. Keys that
// print alike are one series (see write_map_families).

#include "common/compiled_script.h"
#include "metrics/exposition.h"
#include "runtime/output/map_entries.h"
#include "runtime/output/value_formatter.h"

#include <string>
#include <vector>

namespace sonde::metrics {

// "<prefix>_name" for "@name", "<prefix>_map" for "@"; no separator when
// the prefix is empty.
std::string map_family_name(const std::string &prefix, const std::string &script_name);

// The names of the families write_map_families() writes for `map`.
std::vector<std::string> map_family_names(const MapInfo &map, const std::string &prefix);

// Writes the map's families, a series per entry in the order given.
// `entries` hold per-CPU values already reduced. Entries whose keys print
// alike (strings that differ after their NUL, two addresses in one
// function) would be duplicate series, which scrapers reject: their values
// are combined as per-CPU values are (counts add, min and max pick, …; of
// plain values the first stays).
void write_map_families(ExpositionWriter &writer, const MapInfo &map,
                        const output::MapEntries &entries, const output::ValueFormatter &formatter,
                        const std::string &prefix);

} // namespace sonde::metrics
