#include "types/type.h"

#include <algorithm>

namespace sonde::types {

namespace {

TypePtr make(Kind kind, uint64_t size, uint64_t align) {
  auto t = std::make_shared<Type>();
  t->kind = kind;
  t->size = size;
  t->align = align;
  return t;
}

uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

// Lays out fields in C struct order and fills size and alignment.
void layout_fields(Type &t) {
  uint64_t offset = 0;
  uint64_t align = 1;
  for (auto &f : t.fields) {
    offset = align_up(offset, f.type->align);
    f.offset = offset;
    offset += f.type->size;
    align = std::max(align, f.type->align);
  }
  t.align = align;
  t.size = align_up(offset, align);
}

} // namespace

TypePtr Type::none() { return make(Kind::None, 0, 1); }

TypePtr Type::void_type() {
  auto t = std::make_shared<Type>();
  t->name = "void";
  return t;
}

TypePtr Type::integer(uint64_t size, bool is_signed) {
  auto t = std::make_shared<Type>();
  t->kind = Kind::Integer;
  t->size = size;
  t->align = size;
  t->is_signed = is_signed;
  return t;
}

TypePtr Type::boolean() { return make(Kind::Bool, 1, 1); }
TypePtr Type::string(uint64_t size) { return make(Kind::String, size, 1); }
TypePtr Type::buffer(uint64_t data_size) { return make(Kind::Buffer, 4 + data_size, 4); }

TypePtr Type::pointer(TypePtr element, bool user_space) {
  auto t = std::make_shared<Type>();
  t->kind = Kind::Pointer;
  t->size = 8;
  t->align = 8;
  t->element = std::move(element);
  t->user_space = user_space;
  return t;
}

TypePtr Type::array(TypePtr element, uint64_t count) {
  auto t = std::make_shared<Type>();
  t->kind = Kind::Array;
  t->size = element->size * count;
  t->align = element->align;
  t->count = count;
  t->element = std::move(element);
  return t;
}

TypePtr Type::tuple(std::vector<TypePtr> elements) {
  auto t = std::make_shared<Type>();
  t->kind = Kind::Tuple;
  for (size_t i = 0; i < elements.size(); i++)
    t->fields.push_back(Field{std::to_string(i), std::move(elements[i])});
  layout_fields(*t);
  return t;
}

TypePtr Type::record(std::vector<std::string> names, std::vector<TypePtr> types) {
  auto t = std::make_shared<Type>();
  t->kind = Kind::Record;
  for (size_t i = 0; i < names.size(); i++)
    t->fields.push_back(Field{std::move(names[i]), std::move(types[i])});
  layout_fields(*t);
  return t;
}

TypePtr Type::simple(Kind kind) {
  switch (kind) {
  case Kind::UStack:
  case Kind::Usym:
  case Kind::Min:
  case Kind::Max:
  case Kind::Avg:
  case Kind::Stats:
    return make(kind, 16, 8);
  case Kind::Inet:
    return make(kind, 24, 8);
  case Kind::MacAddr:
    return make(kind, 6, 1);
  default:
    return make(kind, 8, 8);
  }
}

TypePtr Type::hist(uint32_t bits) {
  auto t = std::make_shared<Type>();
  t->kind = Kind::Hist;
  t->hist_bits = bits;
  t->align = 8;
  t->size = 8 * t->hist_bucket_count();
  return t;
}

TypePtr Type::lhist(int64_t min, int64_t max, int64_t step) {
  auto t = std::make_shared<Type>();
  t->kind = Kind::LHist;
  t->lhist_min = min;
  t->lhist_max = max;
  t->lhist_step = step;
  t->align = 8;
  t->size = 8 * t->lhist_bucket_count();
  return t;
}

TypePtr Type::tseries(uint64_t interval_ns, uint64_t intervals, TSeriesAgg agg) {
  auto t = std::make_shared<Type>();
  t->kind = Kind::TSeries;
  t->tseries_interval_ns = interval_ns;
  t->tseries_intervals = intervals;
  t->tseries_agg = agg;
  t->align = 8;
  t->size = kTSeriesSlotSize * intervals;
  return t;
}

// Bucket 0 counts negative values, bucket 1 zero; then each power of two
// [2^n, 2^(n+1)) is split into 2^hist_bits buckets.
uint64_t Type::hist_bucket_count() const { return 2 + (uint64_t{64} << hist_bits); }

// Bucket 0 is below min, the last is max and above.
uint64_t Type::lhist_bucket_count() const {
  return 2 + static_cast<uint64_t>((lhist_max - lhist_min + lhist_step - 1) / lhist_step);
}

std::string Type::display_name() const {
  switch (kind) {
  case Kind::None:
    return name.empty() ? "none" : name;
  case Kind::Integer:
    if (!name.empty())
      return name;
    return (is_signed ? "int" : "uint") + std::to_string(size * 8);
  case Kind::Bool:
    return "bool";
  case Kind::String:
    return "string";
  case Kind::Buffer:
    return "buffer";
  case Kind::Tuple:
  case Kind::Record: {
    std::string s = "(";
    for (size_t i = 0; i < fields.size(); i++) {
      if (i)
        s += ",";
      if (kind == Kind::Record)
        s += fields[i].name + "=";
      s += fields[i].type->display_name();
    }
    return s + ")";
  }
  case Kind::Struct:
    return name;
  case Kind::Pointer:
    return element->display_name() + " *";
  case Kind::Array:
    return element->display_name() + "[" + std::to_string(count) + "]";
  case Kind::KStack:
    return "kstack";
  case Kind::UStack:
    return "ustack";
  case Kind::Ksym:
    return "ksym";
  case Kind::Usym:
    return "usym";
  case Kind::Username:
    return "username";
  case Kind::ProbeName:
    return "probe";
  case Kind::Timestamp:
    return "timestamp";
  case Kind::Inet:
    return "inet";
  case Kind::MacAddr:
    return "macaddr";
  case Kind::Errno:
    return "strerror";
  case Kind::SyscallName:
    return "syscall_name";
  case Kind::CgroupPath:
    return "cgroup_path";
  case Kind::Count:
    return "count";
  case Kind::Sum:
    return "sum";
  case Kind::Min:
    return "min";
  case Kind::Max:
    return "max";
  case Kind::Avg:
    return "avg";
  case Kind::Stats:
    return "stats";
  case Kind::Hist:
    return "hist";
  case Kind::LHist:
    return "lhist";
  case Kind::TSeries:
    return "tseries";
  }
  return "?";
}

TypePtr resized_integer(const TypePtr &integer, uint64_t size) {
  auto t = std::make_shared<Type>(*integer);
  t->size = size;
  t->align = size;
  return t;
}

bool operator==(const Type &a, const Type &b) {
  if (a.kind != b.kind || a.size != b.size || a.is_signed != b.is_signed || a.name != b.name ||
      a.count != b.count || a.hist_bits != b.hist_bits || a.lhist_min != b.lhist_min ||
      a.lhist_max != b.lhist_max || a.lhist_step != b.lhist_step ||
      a.tseries_interval_ns != b.tseries_interval_ns ||
      a.tseries_intervals != b.tseries_intervals || a.tseries_agg != b.tseries_agg ||
      a.fields.size() != b.fields.size())
    return false;
  if ((a.element == nullptr) != (b.element == nullptr))
    return false;
  if (a.element && *a.element != *b.element)
    return false;
  for (size_t i = 0; i < a.fields.size(); i++)
    if (a.fields[i].name != b.fields[i].name || a.fields[i].offset != b.fields[i].offset ||
        *a.fields[i].type != *b.fields[i].type)
      return false;
  return true;
}

} // namespace sonde::types
