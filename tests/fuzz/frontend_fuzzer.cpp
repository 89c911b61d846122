// libFuzzer target over the whole front end: lexer, parser, sema and codegen
// (through LLVM to a BPF object). Any input must end in either an object or
// diagnostics, never a crash, hang or leak. Attach points are answered by a
// catalog that knows the probe kinds but not this machine, and scripts with
// C definitions stop after the parse (they would load libclang).

#include "codegen/codegen.h"
#include "parser/parser.h"
#include "sema/sema.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace {

using sonde::sema::Expansion;

// Every attach point of a known kind names one target: its fields as written.
class FuzzCatalog : public sonde::sema::ProbeCatalog {
public:
  Expansion expand(const std::string &raw) override {
    static const std::map<std::string, std::string> kinds = {{"begin", "begin"},
                                                             {"BEGIN", "begin"},
                                                             {"end", "end"},
                                                             {"END", "end"},
                                                             {"kprobe", "kprobe"},
                                                             {"k", "kprobe"},
                                                             {"kretprobe", "kretprobe"},
                                                             {"kr", "kretprobe"},
                                                             {"tracepoint", "tracepoint"},
                                                             {"t", "tracepoint"},
                                                             {"rawtracepoint", "rawtracepoint"},
                                                             {"rt", "rawtracepoint"},
                                                             {"interval", "interval"},
                                                             {"i", "interval"},
                                                             {"profile", "profile"},
                                                             {"p", "profile"},
                                                             {"fentry", "fentry"},
                                                             {"f", "fentry"},
                                                             {"fexit", "fexit"},
                                                             {"fr", "fexit"},
                                                             {"uprobe", "uprobe"},
                                                             {"u", "uprobe"},
                                                             {"uretprobe", "uretprobe"},
                                                             {"ur", "uretprobe"}};
    std::vector<std::string> fields;
    size_t start = 0;
    for (size_t colon; (colon = raw.find(':', start)) != std::string::npos; start = colon + 1)
      fields.push_back(raw.substr(start, colon - start));
    fields.push_back(raw.substr(start));
    auto kind = kinds.find(fields.front());
    if (kind == kinds.end())
      return {{}, "No probes matched '" + raw + "'"};
    fields.erase(fields.begin());
    if (kind->second == "tracepoint" && fields.size() != 2)
      return {{}, "tracepoint needs a category and an event"};
    return {{{kind->second, raw, fields}}, ""};
  }

  sonde::types::TypePtr tracepoint_args(const std::string &, const std::string &) override {
    auto args = std::make_shared<sonde::types::Type>();
    args->kind = sonde::types::Kind::Struct;
    args->name = "struct args";
    args->fields = {
        {"id", sonde::types::Type::integer(8, true), 8},
        {"filename", sonde::types::Type::pointer(sonde::types::Type::integer(1, true), true), 16}};
    args->size = 24;
    return args;
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sonde::Source source{"fuzz", std::string(reinterpret_cast<const char *>(data), size)};
  sonde::Diagnostics diags(source);
  sonde::parser::ParseOptions parse_options;
  parse_options.params = {"1", "/bin/true"};
  auto program = sonde::parser::parse(source, diags, parse_options);
  if (!program || !program->c_definitions.empty())
    return 0;

  FuzzCatalog catalog;
  sonde::sema::SemaOptions sema_options;
  sema_options.params = parse_options.params;
  sonde::sema::TypedProgram typed;
  bool ok = sonde::sema::analyse(*program, sema_options, catalog, diags, typed);
  if (ok == diags.has_errors())
    __builtin_trap();
  if (!ok)
    return 0;

  sonde::codegen::CodegenOptions codegen_options;
  sonde::Diagnostics codegen_diags(source);
  auto script = sonde::codegen::compile(typed, codegen_options, codegen_diags);
  // An object comes back exactly when there are no errors, and it is one.
  if (script.has_value() == codegen_diags.has_errors() || (script && script->elf.empty()))
    __builtin_trap();
  return 0;
}
