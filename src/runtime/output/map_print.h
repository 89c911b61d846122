#pragma once

// Printing a whole script map (at exit, and for print(@m, top, div)).
//
// Text, one line per entry, no blank line after the map:
//   @x: 5
//   @m[bash]: 3
//   @m[bash, 2]: 5          (tuple keys print without their parentheses)
//   @s: { .count = 3, .average = 2, .total = 6 }
// Histograms: a `@h:` / `@h[key]:` header line, the rows, a blank line.
// Time series (tseries_graph.h) likewise, in key order.
//
// JSON, one line per map:
//   {"type": "map", "data": {"@m": {"bash": 3, "bash,2": 5}}}
// with type "hist" for hist/lhist maps, "stats" for avg/stats maps and
// "tseries" for tseries maps.
//
// Empty maps print nothing.

#include "runtime/output/map_entries.h"
#include "runtime/output/tseries_graph.h"
#include "runtime/output/value_formatter.h"

#include <iosfwd>
#include <string>

namespace sonde::output {

void print_map(std::ostream &out, const MapInfo &map, const MapEntries &entries, uint64_t top,
               uint64_t div, const ValueFormatter &formatter, const TSeriesBounds &bounds = {});

void print_map_json(std::ostream &out, const MapInfo &map, const MapEntries &entries, uint64_t top,
                    uint64_t div, const ValueFormatter &formatter);

// The newest interval any entry of a tseries map recorded.
uint64_t newest_epoch(const MapInfo &map, const MapEntries &entries);

// A key as it appears between the brackets: the text form, except that the
// members of a tuple key are joined by `separator` without parentheses.
std::string map_key_text(const types::Type &key, const uint8_t *bytes,
                         const ValueFormatter &formatter, const std::string &separator = ", ");

} // namespace sonde::output
