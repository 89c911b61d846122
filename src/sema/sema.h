#pragma once

// Semantic analysis: expands attach points, resolves names, infers and checks
// types. The AST is annotated in place (Expr::type); the rest of what codegen
// needs is collected in a TypedProgram.

#include "ast/ast.h"
#include "common/diagnostics.h"
#include "common/probe_kind.h"
#include "sema/config.h"
#include "sema/probe_catalog.h"
#include "sema/type_lookup.h"

#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace sonde::sema {

struct MapSymbol {
  std::string name;     // "@x", "@" for the anonymous map
  types::TypePtr key;   // Kind::None for a scalar map
  types::TypePtr value; // aggregations: Kind::Count, Kind::Hist, …
  ast::Location first_use;
  std::string declared_kind; // from `let @m = lruhash(N)`, else empty
  uint64_t max_entries = 0;  // 0: config max_map_keys
};

// The attach points of one probe that share a context type and so one program.
struct ProbeInstance {
  std::vector<ProbeTarget> targets;
  types::TypePtr args;                         // tracepoint `args` record; null for other kinds
  std::vector<MachineArgument> usdt_arguments; // usdt: where arg0, arg1, … are
};

struct ProbeInfo {
  ast::Probe *probe = nullptr;
  const ProbeKind *kind = nullptr; // of every target
  std::vector<ProbeInstance> instances;
  bool reads_args = false; // the body or predicate uses `args`
  // comm(pid) calls the task kfuncs: a tracepoint loads as a tracepoint
  // program then, never as a raw one (which may not call them).
  bool calls_task_kfuncs = false;
};

// A symbol that kaddr() or uaddr() names.
struct SymbolInfo {
  uint64_t address = 0;
  uint64_t size = 0;
  // The binary is a PIE or a shared library: `address` counts from its load
  // base, which only the running process knows.
  bool load_relative = false;
};

// What kaddr() and uaddr() name, by binary ("" for the kernel) and symbol.
using SymbolKey = std::pair<std::string, std::string>;

struct TypedProgram {
  ast::Program *program = nullptr;
  Config config;
  std::vector<std::string> params;       // positional: $1 …
  std::vector<std::string> named_params; // --name[=value], for getopt()
  std::map<std::string, MapSymbol> maps; // ordered by name, as maps print
  std::vector<ProbeInfo> probes;         // same order as program->probes
  TypeLookup types;                      // C and kernel types by name
  // The symbols kaddr() and uaddr() name, resolved once; codegen emits
  // their addresses.
  std::map<SymbolKey, SymbolInfo> symbols;
  // For uaddr() of a load-relative binary: the address each uprobe target
  // (by spec) probes in its binary. The probe's instruction pointer less
  // this is the load base.
  std::map<std::string, uint64_t> probed_addresses;
  // The functions of imported `.bpf.c` files that the script calls.
  std::map<std::string, CFunction> c_functions;
};

struct SemaOptions {
  std::vector<std::string> params;       // positional parameters $1 …
  std::vector<std::string> named_params; // --name[=value] words, for getopt()
  bool unsafe = false;                   // allows system(), signal(), override()
  bool has_child = false;                // -c given: cpid is valid
  CIncludeOptions includes;              // -I and --include
  // Maps filled from files (--map): their values are int64 unless the
  // script assigns them.
  std::vector<std::string> preloaded_maps;
  // --probe-filter: only the attach points whose expanded name this finds
  // are kept (begin and end always are).
  std::optional<std::regex> probe_filter;
  // --mode: test and bench runs keep their own probes and begin and end;
  // a trace ignores test and bench probes.
  RunMode mode = RunMode::Trace;
  // A kernel symbol (binary empty) or a symbol of a binary, for kaddr() and
  // uaddr(); unset, their symbols are not checked (nor lowered).
  std::function<std::optional<SymbolInfo>(const std::string &symbol, const std::string &binary)>
      resolve_symbol;
};

// Returns false when errors were reported.
bool analyse(ast::Program &program, const SemaOptions &options, ProbeCatalog &catalog,
             Diagnostics &diags, TypedProgram &out);

} // namespace sonde::sema
