#pragma once

// The printed form of hist() and lhist() values: one row per bucket from the
// first to the last non-empty one.
//
//   [4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
//
// Text labels: `(..., 0)`, `[0]`, `[1]`, `[2, 4)`, `[512, 1K)`, `[max, ...)`;
// powers of 1024 get K/M/G/T/P/E suffixes (lhist only when step is a multiple
// of 1024). JSON rows carry the inclusive numeric bounds instead.

#include "types/type.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sonde::output {

struct HistogramRow {
  std::string label;
  uint64_t count = 0;
  std::optional<int64_t> min; // absent for the "below" bucket
  std::optional<int64_t> max; // absent for lhist's "max and above" bucket
};

// `div` divides hist counts; like bpftrace, it leaves lhist counts alone.
std::vector<HistogramRow> histogram_rows(const types::Type &type, const uint8_t *buckets,
                                         uint64_t div = 1);

// The rows, each ending in a newline; no trailing blank line.
std::string histogram_text(const std::vector<HistogramRow> &rows);
// [{"min": 4, "max": 7, "count": 1},…]
std::string histogram_json(const std::vector<HistogramRow> &rows);

} // namespace sonde::output
