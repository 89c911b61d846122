#pragma once

// USDT probes (SystemTap SDT notes, `.note.stapsdt`) of a binary, and the
// arguments each probe site passes: what codegen needs to read `arg0…argN`
// in a usdt program, whose context is the `struct pt_regs` of the thread at
// the probe site.

#include "common/expected.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sonde::probes {

enum class UsdtArgumentKind {
  Constant, // the value is `value`
  Register, // the value is in the register at `register_offset`
  Memory,   // the value is in user memory at (register at `register_offset`) + `value`
};

// One argument as the note's spec describes it ("-4@%eax", "8@-16(%rbp)",
// "-4@$5"): read `size` bytes, then sign- or zero-extend to 64 bits. A
// register holds the whole 64-bit register (its low `size` bytes are the
// argument).
struct UsdtArgument {
  UsdtArgumentKind kind = UsdtArgumentKind::Constant;
  uint32_t size = 8; // 1, 2, 4 or 8
  bool is_signed = false;
  int64_t value = 0;            // Constant: the value; Memory: the displacement
  std::string register_name;    // Register and Memory: the 64-bit name ("rbp"); a
                                // Memory operand may have none, `(,%rax,8)`
  uint32_t register_offset = 0; // its offset in struct pt_regs (x86-64)
  // Memory: the address adds index * scale, `-8(%rbp,%rax,8)`; scale 0
  // without an index register.
  std::string index_register_name;
  uint32_t index_register_offset = 0;
  uint32_t scale = 0;

  bool operator==(const UsdtArgument &) const = default;
};

// Parses a note's argument string (x86-64 syntax). Fails on operands the
// runtime cannot read (%rip-relative symbols).
Expected<std::vector<UsdtArgument>> parse_usdt_arguments(std::string_view text);

// One place in the binary where the probe fires.
struct UsdtLocation {
  uint64_t address = 0;          // virtual address of the probe site
  uint64_t file_offset = 0;      // the same as a file offset, for uprobes
  uint64_t semaphore_offset = 0; // file offset of the semaphore, 0 when none
  std::vector<UsdtArgument> arguments;
};

struct UsdtProbe {
  std::string path;
  std::string provider;
  std::string name;
  std::vector<UsdtLocation> locations; // in note order
};

// Every probe of the binary at `path`, sorted by provider then name. Read
// once per path and kept.
Expected<std::vector<UsdtProbe>> usdt_probes(const std::string &path);

Expected<UsdtProbe> usdt_probe(const std::string &path, const std::string &provider,
                               const std::string &name);

// The distinct ways a probe's sites pass their arguments, for codegen: one
// layout almost always, but a probe inlined in several places may keep an
// argument in a different register at each. Codegen emits one program per
// layout and attaches it to that layout's sites only, by adding their
// indices as a fourth field of the attach target (usdt_sites_field()).
struct UsdtArgumentLayout {
  std::vector<size_t> sites; // indices into UsdtProbe::locations
  std::vector<UsdtArgument> arguments;
};

Expected<std::vector<UsdtArgumentLayout>> usdt_argument_layouts(const std::string &path,
                                                                const std::string &provider,
                                                                const std::string &name);

// The attach-target field naming a subset of sites ("0,2"), and back.
std::string usdt_sites_field(const std::vector<size_t> &sites);
Expected<std::vector<size_t>> parse_usdt_sites_field(const std::string &field, size_t site_count);

} // namespace sonde::probes
