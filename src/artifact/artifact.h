#pragma once

// A compiled script written to one file by `sonde --aot`, run by `sonde-run`
// on hosts without the compiler. The format (docs/artifact-format.md):
//
//   header (40 bytes, little-endian)
//     magic "SONDEAOT", uint32 version, uint32 header size,
//     uint64 description size, uint64 object size,
//     uint64 FNV-1a checksum of the description and the object
//   description: JSON, everything but the object
//   object: the BPF ELF file
//
// A reader refuses versions above its own.

#include "cli/run_settings.h"
#include "common/compiled_script.h"
#include "common/diagnostics.h"
#include "common/expected.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace sonde::artifact {

inline constexpr uint32_t kFormatVersion = 1;
inline constexpr size_t kHeaderSize = 40;
inline constexpr char kMagic[8] = {'S', 'O', 'N', 'D', 'E', 'A', 'O', 'T'};

// An address the compiler resolved and emitted as a constant: kaddr() (binary
// empty) or uaddr(). The runner resolves it again and refuses to run when the
// host's differs.
struct ResolvedSymbol {
  std::string symbol;
  std::string binary;
  uint64_t address = 0;
};

// A tracepoint record field the script reads, where the compiler found it.
// The runner compares it with the running kernel's format before loading.
struct TracepointFieldUse {
  std::string category;
  std::string event;
  std::string field;
  uint64_t offset = 0;
  uint64_t size = 0;
  std::string where; // the script place that reads it: "script.bt:3"
};

// A binary whose USDT sites and argument locations are compiled in, by the
// build id it had; the runner refuses another build.
struct UsdtBinary {
  std::string path;
  std::string build_id; // hex; empty when the binary has none (not checked)
};

struct Artifact {
  std::string compiled_by; // "sonde 0.1.0"
  Source source;           // runtime errors quote its lines
  CompiledScript script;
  cli::RunSettings settings;
  // Parameters substituted when compiling: positional ($1 …, $#) and named
  // (--name[=value], for getopt()).
  std::vector<std::string> params;
  std::vector<std::string> named_params;
  std::vector<ResolvedSymbol> symbols;
  std::vector<TracepointFieldUse> tracepoint_fields;
  std::vector<UsdtBinary> usdt_binaries;
};

std::vector<uint8_t> encode(const Artifact &artifact);

// Refuses, with one line naming `name`, anything that is not a complete,
// intact artifact of a version this build reads.
Expected<Artifact> decode(std::span<const uint8_t> bytes, const std::string &name);

// Whether the file starts with the artifact magic.
bool is_artifact(const std::string &path);

Expected<Artifact> read_file(const std::string &path);
Status write_file(const std::string &path, const Artifact &artifact);

} // namespace sonde::artifact
