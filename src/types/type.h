#pragma once

// The type model shared by sema, codegen and the runtime formatters. A Type
// also fixes how a value of that type is laid out in BPF memory (map keys and
// values, ring-buffer records), so the runtime can decode the bytes it reads.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sonde::types {

enum class Kind {
  None,    // statements, calls without a value
  Integer, // size 1, 2, 4 or 8; signed or not
  Bool,    // one byte, printed as true/false
  String,  // char[size], NUL-terminated unless full
  Buffer,  // struct { uint32 length; uint8 data[size - 4]; }
  Tuple,   // C-struct layout of `fields`, names are "0", "1", …
  Record,  // C-struct layout of named `fields`
  Struct,  // a C struct or union (BTF or script definition)
  Pointer, // 8 bytes; `element` is the pointee
  Array,   // `count` × `element`
  // Integers printed by the runtime in a form of their own:
  KStack,      // uint64 stack id (kstack)
  UStack,      // struct { uint64 stack id; uint64 pid; } (ustack)
  Ksym,        // uint64 kernel address
  Usym,        // struct { uint64 address; uint64 pid; }
  Username,    // uint64 uid
  ProbeName,   // uint64 index into the script's probe table
  Timestamp,   // uint64 ns, formatted by strftime
  Inet,        // struct { uint64 family; uint8 addr[16]; }
  MacAddr,     // uint8[6]
  Errno,       // uint64, printed by strerror
  SyscallName, // uint64 syscall number
  CgroupPath,  // uint64 cgroup id
  // Map values written only by their aggregation function:
  Count, // per-CPU uint64
  Sum,   // per-CPU int64
  Min,   // per-CPU struct { int64 value; uint64 is_set; }
  Max,   // per-CPU struct { int64 value; uint64 is_set; }
  Avg,   // per-CPU struct { int64 total; uint64 count; }
  Stats, // per-CPU struct { int64 total; uint64 count; }
  Hist,  // per-CPU uint64 buckets[hist_bucket_count()]
  LHist, // per-CPU uint64 buckets[lhist_bucket_count()]
  // per-CPU struct { uint64 epoch; int64 value; uint64 aux; } slots[tseries_intervals],
  // slot epoch % intervals holding interval `epoch` (CLOCK_REALTIME ns /
  // interval ns); aux is 0 for an empty slot, else the values recorded (the
  // write's CLOCK_REALTIME ns for TSeriesAgg::Last).
  TSeries,
};

// How tseries() combines the values recorded in one interval.
enum class TSeriesAgg : uint8_t { Last, Avg, Max, Min, Sum };

struct Type;
using TypePtr = std::shared_ptr<const Type>;

struct Field {
  std::string name;
  TypePtr type;
  uint64_t offset = 0;
  // Bitfields (C structs only); bit_width 0 means not a bitfield.
  uint32_t bit_offset = 0;
  uint32_t bit_width = 0;
  // Tracepoint `__data_loc` fields: the slot holds a uint32 whose low half is
  // the data's offset in the record and whose high half is its length.
  bool data_loc = false;
};

// A named value of a C enum.
struct Enumerator {
  std::string name;
  int64_t value = 0;
};

struct Type {
  Kind kind = Kind::None;
  uint64_t size = 0; // bytes
  uint64_t align = 1;
  bool is_signed = false;

  std::vector<Field> fields; // Tuple, Record, Struct
  TypePtr element;           // Pointer, Array
  uint64_t count = 0;        // Array

  // Struct: "struct task_struct", "union u"; Integer: an enum or typedef
  // name when one is known (for messages only); Array: the C type of a value
  // kept as bytes ("float", see types::opaque).
  std::string name;
  bool is_union = false;
  // Integer: the enumerators of its enum; values that match one print as its
  // name (print(), maps, printf's %s).
  std::vector<Enumerator> enumerators;
  bool user_space = false; // Pointer: into user memory
  // Integer (sema only): a literal that is not negative, which takes the sign
  // of the value it meets instead of its own (bpftrace 0.26).
  bool sign_flexible = false;

  // Hist: buckets per power of two (0 = one, the default log2 histogram).
  uint32_t hist_bits = 0;
  // LHist parameters.
  int64_t lhist_min = 0;
  int64_t lhist_max = 0;
  int64_t lhist_step = 1;
  // TSeries parameters.
  uint64_t tseries_interval_ns = 0;
  uint64_t tseries_intervals = 0;
  TSeriesAgg tseries_agg = TSeriesAgg::Last;

  bool is_integer_like() const { return kind == Kind::Integer || kind == Kind::Bool; }
  bool is_aggregation() const { return kind >= Kind::Count; }
  bool is_percpu_aggregation() const { return is_aggregation(); }

  // The name used in diagnostics: "int64", "uint8", "string", "count",
  // "(int64,string)", "struct path *".
  std::string display_name() const;

  static TypePtr none();
  // C's void: no value; a `void *` steps by bytes.
  static TypePtr void_type();
  static TypePtr integer(uint64_t size, bool is_signed);
  static TypePtr boolean();
  static TypePtr string(uint64_t size);
  static TypePtr buffer(uint64_t data_size);
  static TypePtr pointer(TypePtr element, bool user_space = false);
  static TypePtr array(TypePtr element, uint64_t count);
  static TypePtr tuple(std::vector<TypePtr> elements);
  static TypePtr record(std::vector<std::string> names, std::vector<TypePtr> types);
  // Fixed-layout types of the formatted and aggregation kinds.
  static TypePtr simple(Kind kind);
  static TypePtr hist(uint32_t bits);
  static TypePtr lhist(int64_t min, int64_t max, int64_t step);
  static TypePtr tseries(uint64_t interval_ns, uint64_t intervals, TSeriesAgg agg);
  static constexpr uint64_t kTSeriesSlotSize = 24;

  uint64_t hist_bucket_count() const;
  uint64_t lhist_bucket_count() const;
};

// The same integer (its enum or typedef name kept) in `size` bytes.
TypePtr resized_integer(const TypePtr &integer, uint64_t size);

bool operator==(const Type &a, const Type &b);
inline bool operator!=(const Type &a, const Type &b) { return !(a == b); }

} // namespace sonde::types
