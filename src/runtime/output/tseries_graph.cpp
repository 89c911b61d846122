#include "runtime/output/tseries_graph.h"

#include "runtime/output/bytes.h"
#include "runtime/output/time_format.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>

namespace sonde::output {

using types::TSeriesAgg;
using types::Type;

namespace {

constexpr int kGraphWidth = 53; // the two edges included
constexpr int kMinLabelWidth = 21;
constexpr uint64_t kNsPerSecond = 1'000'000'000;

struct Slot {
  uint64_t epoch = 0;
  int64_t value = 0;
  uint64_t aux = 0; // 0: empty; the values recorded, or Last's write time
};

Slot read_slot(const uint8_t *value, uint64_t index) {
  const uint8_t *p = value + index * Type::kTSeriesSlotSize;
  return {read_u64(p), read_i64(p + 8), read_u64(p + 16)};
}

void write_slot(uint8_t *value, uint64_t index, const Slot &slot) {
  uint8_t *p = value + index * Type::kTSeriesSlotSize;
  std::memcpy(p, &slot.epoch, 8);
  std::memcpy(p + 8, &slot.value, 8);
  std::memcpy(p + 16, &slot.aux, 8);
}

int64_t shown_value(const Type &type, const Slot &slot) {
  if (type.tseries_agg == TSeriesAgg::Avg)
    return slot.value / static_cast<int64_t>(slot.aux);
  return slot.value;
}

// Digits after the seconds: the unit the interval is a whole number of.
int fraction_digits(uint64_t interval_ns) {
  if (interval_ns % kNsPerSecond == 0)
    return 0;
  if (interval_ns % 1'000'000 == 0)
    return 3;
  if (interval_ns % 1'000 == 0)
    return 6;
  return 9;
}

std::string clock_time(uint64_t ns, int digits, const char *format) {
  std::string s = format_time(ns, format);
  if (digits == 0)
    return s;
  uint64_t fraction = ns % kNsPerSecond;
  for (int i = digits; i < 9; i++)
    fraction /= 10;
  std::string text = std::to_string(fraction);
  return s + "." + std::string(static_cast<size_t>(digits) - text.size(), '0') + text;
}

std::string padded_left(const std::string &s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string padded_right(const std::string &s, size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

// Where `v` falls on a graph `width` columns wide from `min` to `max`, in
// single precision as bpftrace computes it (so the columns match).
int column(int64_t v, int64_t min, int64_t max, int width) {
  auto span = static_cast<float>(static_cast<__int128>(max) - min);
  auto offset = static_cast<float>(static_cast<__int128>(v) - min);
  return static_cast<int>(static_cast<float>(width) * offset / span);
}

} // namespace

uint64_t tseries_newest_epoch(const Type &type, const uint8_t *value) {
  uint64_t newest = 0;
  for (uint64_t i = 0; i < type.tseries_intervals; i++) {
    Slot slot = read_slot(value, i);
    if (slot.aux != 0)
      newest = std::max(newest, slot.epoch);
  }
  return newest;
}

std::vector<TSeriesPoint> tseries_points(const Type &type, const uint8_t *value,
                                         uint64_t newest_epoch) {
  uint64_t oldest =
      newest_epoch >= type.tseries_intervals - 1 ? newest_epoch - (type.tseries_intervals - 1) : 0;
  std::map<uint64_t, int64_t> recorded;
  for (uint64_t i = 0; i < type.tseries_intervals; i++) {
    Slot slot = read_slot(value, i);
    if (slot.aux != 0 && slot.epoch >= oldest && slot.epoch <= newest_epoch)
      recorded[slot.epoch] = shown_value(type, slot);
  }
  std::vector<TSeriesPoint> points;
  if (recorded.empty())
    return points;
  for (uint64_t epoch = recorded.begin()->first; epoch <= newest_epoch; epoch++) {
    auto it = recorded.find(epoch);
    points.push_back({epoch, it == recorded.end() ? std::nullopt : std::optional(it->second)});
  }
  return points;
}

std::string tseries_text(const Type &type, const std::vector<TSeriesPoint> &points,
                         const TSeriesBounds &bounds) {
  if (points.empty())
    return "<no data>\n";
  int64_t min = std::numeric_limits<int64_t>::max();
  int64_t max = std::numeric_limits<int64_t>::min();
  for (const auto &point : points) {
    if (point.value) {
      min = std::min(min, *point.value);
      max = std::max(max, *point.value);
    }
  }
  min = bounds.min.value_or(min);
  max = bounds.max.value_or(max);
  if (min == max) {
    // Room on both sides of a flat line, where the type allows it.
    if (min > std::numeric_limits<int64_t>::min())
      min--;
    if (max < std::numeric_limits<int64_t>::max())
      max++;
  }

  int digits = fraction_digits(type.tseries_interval_ns);
  std::string time_header = "hh:mm:ss";
  if (digits > 0)
    time_header += digits == 3 ? ".ms" : digits == 6 ? ".us" : ".ns";
  size_t time_width = 8 + (digits > 0 ? 1 + static_cast<size_t>(digits) : 0);
  std::string indent(time_width + 1, ' ');
  std::string labels = indent + padded_left(std::to_string(min), kMinLabelWidth) +
                       padded_right(std::to_string(max), kGraphWidth - kMinLabelWidth) + "\n";

  std::string out = labels;
  out += padded_left(time_header, time_width + 1) + "|" + std::string(kGraphWidth - 2, '_') + "|\n";
  int zero = min < 0 && max > 0 ? column(0, min, max, kGraphWidth) : 0;
  for (const auto &point : points) {
    std::string line(kGraphWidth, ' ');
    line.front() = '|';
    line.back() = '|';
    if (zero > 0)
      line[static_cast<size_t>(zero)] = '.';
    std::string shown = "-";
    if (point.value) {
      int at = min == max ? kGraphWidth / 2 : column(*point.value, min, max, kGraphWidth - 1);
      line[static_cast<size_t>(std::clamp(at, 0, kGraphWidth - 1))] = '*';
      shown = std::to_string(*point.value);
    }
    out += clock_time(point.epoch * type.tseries_interval_ns, digits, "%H:%M:%S") + " " + line +
           " " + shown + "\n";
  }
  std::string bottom(kGraphWidth, '_');
  bottom.front() = 'v';
  bottom.back() = 'v';
  out += indent + bottom + "\n";
  out += labels;
  return out;
}

std::string tseries_json(const Type &type, const std::vector<TSeriesPoint> &points) {
  std::string out = "[";
  for (size_t i = 0; i < points.size(); i++) {
    if (i)
      out += ",";
    out += "{\"interval_start\": \"" +
           clock_time(points[i].epoch * type.tseries_interval_ns, 9, "%Y-%m-%dT%H:%M:%S") +
           "\", \"value\": " + (points[i].value ? std::to_string(*points[i].value) : "null") + "}";
  }
  return out + "]";
}

void reduce_tseries(const Type &type, uint8_t *out, const uint8_t *values, uint64_t stride,
                    uint64_t ncpus) {
  for (uint64_t i = 0; i < type.tseries_intervals; i++) {
    Slot merged;
    for (uint64_t cpu = 0; cpu < ncpus; cpu++) {
      Slot slot = read_slot(values + cpu * stride, i);
      if (slot.aux == 0 || (merged.aux != 0 && slot.epoch < merged.epoch))
        continue;
      if (merged.aux == 0 || slot.epoch > merged.epoch) {
        merged = slot;
        continue;
      }
      switch (type.tseries_agg) {
      case TSeriesAgg::Last: // aux is the write time: the later write wins
        if (slot.aux > merged.aux)
          merged = slot;
        break;
      case TSeriesAgg::Avg:
      case TSeriesAgg::Sum:
        merged.value += slot.value;
        merged.aux += slot.aux;
        break;
      case TSeriesAgg::Min:
        merged.value = std::min(merged.value, slot.value);
        merged.aux += slot.aux;
        break;
      case TSeriesAgg::Max:
        merged.value = std::max(merged.value, slot.value);
        merged.aux += slot.aux;
        break;
      }
    }
    write_slot(out, i, merged);
  }
}

} // namespace sonde::output
