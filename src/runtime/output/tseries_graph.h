#pragma once

// The printed form of tseries() values. Every key of a map shows the same
// window: the map's `tseries_intervals` newest intervals, from the first one
// the key recorded; an interval it did not record prints `-` (JSON: null).
//
//   @:
//                -5                                                  5
//   hh:mm:ss.ms  |___________________________________________________|
//   10:39:49.300 *                         .                         | -5
//   10:39:49.400 |    *                    .                         | -4
//                v___________________________________________________v
//                -5                                                  5
//
// Times are local wall-clock times of each interval's start, to the unit the
// interval is a whole number of (ms, us, ns; none for whole seconds). The
// graph spans the values shown (one either side when they are all equal) or
// print(@m, min, max)'s bounds; `.` marks zero when it is inside.
// JSON: [{"interval_start": "2025-06-01T10:39:49.300000000", "value": -5}, …].

#include "types/type.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sonde::output {

struct TSeriesPoint {
  uint64_t epoch = 0; // interval number: its start is epoch × tseries_interval_ns
  std::optional<int64_t> value;
};

// The newest interval recorded in one reduced value, 0 when it holds none.
uint64_t tseries_newest_epoch(const types::Type &type, const uint8_t *value);

// The points of one reduced value in the window ending at `newest_epoch`
// (the map's newest); empty when the value recorded nothing in the window.
std::vector<TSeriesPoint> tseries_points(const types::Type &type, const uint8_t *value,
                                         uint64_t newest_epoch);

// print(@m, min, max): fixed bounds for the graph.
struct TSeriesBounds {
  std::optional<int64_t> min;
  std::optional<int64_t> max;
};

// The graph, each line ending in a newline, or `<no data>` and a newline.
std::string tseries_text(const types::Type &type, const std::vector<TSeriesPoint> &points,
                         const TSeriesBounds &bounds);
std::string tseries_json(const types::Type &type, const std::vector<TSeriesPoint> &points);

// Combines the per-CPU copies of a value slot by slot (the newest interval
// of each slot wins) into `out`, laid out as one CPU's value.
void reduce_tseries(const types::Type &type, uint8_t *out, const uint8_t *values, uint64_t stride,
                    uint64_t ncpus);

} // namespace sonde::output
