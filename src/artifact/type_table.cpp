#include "artifact/type_table.h"

#include <array>
#include <stdexcept>
#include <utility>

namespace sonde::artifact {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

// Kinds by name, so that reordering the enum does not change the format.
constexpr std::array<std::pair<Kind, const char *>, 31> kKindNames{{
    {Kind::None, "none"},
    {Kind::Integer, "integer"},
    {Kind::Bool, "bool"},
    {Kind::String, "string"},
    {Kind::Buffer, "buffer"},
    {Kind::Tuple, "tuple"},
    {Kind::Record, "record"},
    {Kind::Struct, "struct"},
    {Kind::Pointer, "pointer"},
    {Kind::Array, "array"},
    {Kind::KStack, "kstack"},
    {Kind::UStack, "ustack"},
    {Kind::Ksym, "ksym"},
    {Kind::Usym, "usym"},
    {Kind::Username, "username"},
    {Kind::ProbeName, "probe_name"},
    {Kind::Timestamp, "timestamp"},
    {Kind::Inet, "inet"},
    {Kind::MacAddr, "mac_addr"},
    {Kind::Errno, "errno"},
    {Kind::SyscallName, "syscall_name"},
    {Kind::CgroupPath, "cgroup_path"},
    {Kind::Count, "count"},
    {Kind::Sum, "sum"},
    {Kind::Min, "min"},
    {Kind::Max, "max"},
    {Kind::Avg, "avg"},
    {Kind::Stats, "stats"},
    {Kind::Hist, "hist"},
    {Kind::LHist, "lhist"},
    {Kind::TSeries, "tseries"},
}};

const char *kind_name(Kind kind) {
  for (const auto &[k, name] : kKindNames)
    if (k == kind)
      return name;
  return "none";
}

bool kind_by_name(const std::string &name, Kind &kind) {
  for (const auto &[k, n] : kKindNames)
    if (name == n) {
      kind = k;
      return true;
    }
  return false;
}

} // namespace

int64_t TypeTableWriter::add(const TypePtr &type) {
  if (!type)
    return -1;
  if (auto found = index_.find(type.get()); found != index_.end())
    return found->second;
  auto index = static_cast<int64_t>(table_.size());
  index_[type.get()] = index;
  table_.push_back(nlohmann::json::object());
  nlohmann::json entry = {{"kind", kind_name(type->kind)},
                          {"size", type->size},
                          {"align", type->align},
                          {"signed", type->is_signed}};
  if (!type->name.empty())
    entry["name"] = type->name;
  if (type->is_union)
    entry["union"] = true;
  if (type->user_space)
    entry["user_space"] = true;
  if (!type->enumerators.empty()) {
    auto enumerators = nlohmann::json::array();
    for (const auto &e : type->enumerators)
      enumerators.push_back({e.name, e.value});
    entry["enumerators"] = std::move(enumerators);
  }
  if (type->element)
    entry["element"] = add(type->element);
  if (type->count)
    entry["count"] = type->count;
  if (type->kind == Kind::Hist)
    entry["hist_bits"] = type->hist_bits;
  if (type->kind == Kind::LHist)
    entry["lhist"] = {type->lhist_min, type->lhist_max, type->lhist_step};
  if (type->kind == Kind::TSeries)
    entry["tseries"] = {type->tseries_interval_ns, type->tseries_intervals,
                        static_cast<int>(type->tseries_agg)};
  if (!type->fields.empty()) {
    auto fields = nlohmann::json::array();
    for (const auto &f : type->fields) {
      nlohmann::json field = {{"name", f.name}, {"type", add(f.type)}, {"offset", f.offset}};
      if (f.bit_width)
        field["bits"] = {f.bit_offset, f.bit_width};
      if (f.data_loc)
        field["data_loc"] = true;
      fields.push_back(std::move(field));
    }
    entry["fields"] = std::move(fields);
  }
  table_[static_cast<size_t>(index)] = std::move(entry);
  return index;
}

Expected<TypeTableReader> TypeTableReader::read(const nlohmann::json &table) {
  // Every type exists before any is filled in, so they can refer to each
  // other in any order.
  std::vector<std::shared_ptr<Type>> made;
  for (size_t i = 0; i < table.size(); i++)
    made.push_back(std::make_shared<Type>());
  TypeTableReader reader;
  reader.types_.assign(made.begin(), made.end());
  for (size_t i = 0; i < table.size(); i++) {
    const auto &entry = table.at(i);
    Type &type = *made[i];
    if (!kind_by_name(entry.at("kind").get<std::string>(), type.kind))
      return error("type " + std::to_string(i) + " has an unknown kind '" +
                   entry.at("kind").get<std::string>() + "'");
    type.size = entry.at("size").get<uint64_t>();
    type.align = entry.at("align").get<uint64_t>();
    type.is_signed = entry.at("signed").get<bool>();
    type.name = entry.value("name", "");
    type.is_union = entry.value("union", false);
    type.user_space = entry.value("user_space", false);
    if (entry.contains("enumerators"))
      for (const auto &e : entry["enumerators"])
        type.enumerators.push_back({e.at(0).get<std::string>(), e.at(1).get<int64_t>()});
    if (entry.contains("element"))
      type.element = reader.at(entry["element"].get<int64_t>());
    type.count = entry.value("count", uint64_t{0});
    type.hist_bits = entry.value("hist_bits", uint32_t{0});
    if (entry.contains("lhist")) {
      type.lhist_min = entry["lhist"].at(0).get<int64_t>();
      type.lhist_max = entry["lhist"].at(1).get<int64_t>();
      type.lhist_step = entry["lhist"].at(2).get<int64_t>();
    }
    if (entry.contains("tseries")) {
      type.tseries_interval_ns = entry["tseries"].at(0).get<uint64_t>();
      type.tseries_intervals = entry["tseries"].at(1).get<uint64_t>();
      int agg = entry["tseries"].at(2).get<int>();
      if (agg < 0 || agg > static_cast<int>(types::TSeriesAgg::Sum))
        return error("type " + std::to_string(i) + " has an unknown tseries aggregation");
      type.tseries_agg = static_cast<types::TSeriesAgg>(agg);
    }
    for (const auto &f : entry.value("fields", nlohmann::json::array())) {
      types::Field field;
      field.name = f.at("name").get<std::string>();
      field.type = reader.at(f.at("type").get<int64_t>());
      field.offset = f.at("offset").get<uint64_t>();
      if (f.contains("bits")) {
        field.bit_offset = f["bits"].at(0).get<uint32_t>();
        field.bit_width = f["bits"].at(1).get<uint32_t>();
      }
      field.data_loc = f.value("data_loc", false);
      type.fields.push_back(std::move(field));
    }
  }
  return reader;
}

TypePtr TypeTableReader::at(int64_t index) const {
  if (index == -1)
    return nullptr;
  if (index < 0 || static_cast<size_t>(index) >= types_.size())
    throw std::out_of_range("type index " + std::to_string(index) + " is not in the table");
  return types_[static_cast<size_t>(index)];
}

} // namespace sonde::artifact
