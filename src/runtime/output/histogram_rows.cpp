#include "runtime/output/histogram_rows.h"

#include "runtime/output/bytes.h"
#include "types/histogram.h"

#include <iomanip>
#include <sstream>

namespace sonde::output {

namespace {

constexpr int label_width = 16;
constexpr int count_width = 8;
constexpr uint64_t bar_width = 52;

// The bound hist_bucket_upper(index): plain for the one-value buckets, else
// scaled to the largest power of 1024 below its power of two.
std::string hist_bound_label(uint64_t index, uint32_t bits) {
  if (index <= (uint64_t{2} << bits))
    return std::to_string(index);
  uint64_t value = types::hist_bucket_upper(index, bits);
  uint64_t power = (index >> bits) - 1;
  uint64_t decade = power / 10;
  static constexpr const char *suffixes[] = {"", "K", "M", "G", "T", "P", "E"};
  return std::to_string(value >> (10 * decade)) + suffixes[decade];
}

std::string lhist_bound_label(int64_t value, int64_t step) {
  constexpr int64_t kilo = 1024;
  constexpr int64_t mega = kilo * kilo;
  if (step % kilo != 0 || value == 0)
    return std::to_string(value);
  if (value % mega == 0)
    return std::to_string(value / mega) + "M";
  if (value % kilo == 0)
    return std::to_string(value / kilo) + "K";
  return std::to_string(value);
}

std::string range_label(const std::string &lower, const std::string &upper) {
  return "[" + lower + ", " + upper + ")";
}

HistogramRow hist_row(uint64_t index, uint32_t bits, uint64_t count) {
  HistogramRow row;
  row.count = count;
  if (index == 0) {
    row.label = "(..., 0)";
    row.max = -1;
    return row;
  }
  uint64_t lower = types::hist_bucket_upper(index - 1, bits);
  uint64_t upper = types::hist_bucket_upper(index, bits);
  row.min = static_cast<int64_t>(lower);
  row.max = static_cast<int64_t>(upper - 1);
  if (upper - lower == 1)
    row.label = "[" + std::to_string(lower) + "]";
  else
    row.label = range_label(hist_bound_label(index - 1, bits), hist_bound_label(index, bits));
  return row;
}

HistogramRow lhist_row(uint64_t index, const types::Type &type, uint64_t count) {
  HistogramRow row;
  row.count = count;
  int64_t step = type.lhist_step;
  if (index == 0) {
    row.label = "(..., " + lhist_bound_label(type.lhist_min, step) + ")";
    row.max = type.lhist_min - 1;
    return row;
  }
  if (index == type.lhist_bucket_count() - 1) {
    row.label = "[" + lhist_bound_label(type.lhist_max, step) + ", ...)";
    row.min = type.lhist_max;
    return row;
  }
  int64_t lower = types::lhist_bucket_lower(index, type);
  int64_t upper = types::lhist_bucket_lower(index + 1, type);
  row.min = lower;
  row.max = upper - 1;
  if (upper - lower == 1)
    row.label = "[" + lhist_bound_label(lower, step) + "]";
  else
    row.label = range_label(lhist_bound_label(lower, step), lhist_bound_label(upper, step));
  return row;
}

} // namespace

std::vector<HistogramRow> histogram_rows(const types::Type &type, const uint8_t *buckets,
                                         uint64_t div) {
  uint64_t n = type.size / 8;
  uint64_t first = n, last = 0;
  for (uint64_t i = 0; i < n; i++) {
    if (read_u64(buckets + 8 * i) == 0)
      continue;
    if (first == n)
      first = i;
    last = i;
  }
  std::vector<HistogramRow> rows;
  if (first == n)
    return rows;
  if (div == 0 || type.kind == types::Kind::LHist)
    div = 1;
  for (uint64_t i = first; i <= last; i++) {
    uint64_t count = read_u64(buckets + 8 * i) / div;
    rows.push_back(type.kind == types::Kind::Hist ? hist_row(i, type.hist_bits, count)
                                                  : lhist_row(i, type, count));
  }
  return rows;
}

std::string histogram_text(const std::vector<HistogramRow> &rows) {
  uint64_t max_count = 0;
  for (const auto &row : rows)
    max_count = std::max(max_count, row.count);
  std::ostringstream out;
  for (const auto &row : rows) {
    auto bar = max_count ? static_cast<uint64_t>(static_cast<unsigned __int128>(row.count) *
                                                 bar_width / max_count)
                         : 0;
    out << std::left << std::setw(label_width) << row.label << std::right << std::setw(count_width)
        << row.count << " |" << std::string(bar, '@') << std::string(bar_width - bar, ' ') << "|\n";
  }
  return out.str();
}

std::string histogram_json(const std::vector<HistogramRow> &rows) {
  std::string out = "[";
  for (size_t i = 0; i < rows.size(); i++) {
    if (i)
      out += ", ";
    out += "{";
    if (rows[i].min)
      out += "\"min\": " + std::to_string(*rows[i].min) + ", ";
    if (rows[i].max)
      out += "\"max\": " + std::to_string(*rows[i].max) + ", ";
    out += "\"count\": " + std::to_string(rows[i].count) + "}";
  }
  return out + "]";
}

} // namespace sonde::output
