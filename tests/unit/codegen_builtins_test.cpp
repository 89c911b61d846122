// Every builtin sema accepts has a lowering, and the builtins that depend on
// the kind of probe are accepted exactly where its descriptor says codegen
// lowers them.
#include "codegen/codegen.h"
#include "common/probe_kind.h"
#include "parser/parser.h"
#include "sema/builtins.h"

#include <gtest/gtest.h>

namespace sonde::codegen {
namespace {

TEST(CodegenBuiltins, EveryFunctionSemaKnowsHasALowering) {
  for (const std::string &name : sema::function_names())
    EXPECT_TRUE(lowers_function(name)) << name << "()";
}

TEST(CodegenBuiltins, EveryVariableSemaKnowsHasALowering) {
  for (const std::string &name : sema::builtin_variable_names())
    EXPECT_TRUE(lowers_variable(name)) << name;
  EXPECT_TRUE(lowers_variable("arg17"));
  EXPECT_FALSE(lowers_variable("argv"));
}

// One target per attach point `kind:field:…`, of the kind its first field
// names; tracepoints have a record, usdt probes two register arguments.
class AnyKindCatalog : public sema::ProbeCatalog {
public:
  sema::Expansion expand(const std::string &raw) override {
    std::vector<std::string> fields;
    size_t start = 0;
    for (size_t colon; (colon = raw.find(':', start)) != std::string::npos; start = colon + 1)
      fields.push_back(raw.substr(start, colon - start));
    fields.push_back(raw.substr(start));
    const ProbeKind *kind = find_probe_kind(fields.front());
    if (!kind)
      return {{}, "unknown probe kind"};
    fields.erase(fields.begin());
    return {{{kind->name, raw, fields}}, ""};
  }
  types::TypePtr tracepoint_args(const std::string &, const std::string &) override {
    auto args = std::make_shared<types::Type>();
    args->kind = types::Kind::Struct;
    args->name = "struct args";
    args->fields = {{"value", types::Type::integer(8, false), 8}};
    args->size = 16;
    return args;
  }
  std::vector<sema::ArgumentLayout> usdt_layouts(const sema::ProbeTarget &) override {
    sema::MachineArgument in_register;
    in_register.kind = sema::MachineArgument::Kind::Register;
    return {{"sites", {in_register, in_register}}};
  }
};

struct Outcome {
  bool accepted = false; // by sema
  bool lowered = false;  // by codegen
  std::string errors;
};

Outcome compile_in(const ProbeKind &kind, const std::string &body) {
  std::string attach_point = kind.name + ":a:b";
  Source source{"stdin", attach_point + " { " + body + " }"};
  Diagnostics diags(source);
  auto program = parser::parse(source, diags);
  EXPECT_TRUE(program) << diags.render();
  AnyKindCatalog catalog;
  sema::SemaOptions sema_options;
  sema_options.unsafe = true;
  sema_options.mode = kind.runs_in; // test and bench probes load in their mode only
  sema_options.resolve_symbol = [](const std::string &, const std::string &) {
    return std::optional(sema::SymbolInfo{0x1000, 8});
  };
  sema::TypedProgram typed;
  Outcome outcome;
  outcome.accepted = sema::analyse(*program, sema_options, catalog, diags, typed);
  if (outcome.accepted) {
    CodegenOptions options;
    outcome.lowered = compile(typed, options, diags).has_value();
  }
  outcome.errors = diags.render();
  return outcome;
}

struct KindBuiltin {
  const char *body;
  bool (*available)(const ProbeKind &);
};

const KindBuiltin kKindBuiltins[] = {
    {"@v = args.value;", [](const ProbeKind &k) { return k.has_args(); }},
    {"@v = arg0 + arg1;", [](const ProbeKind &k) { return k.arguments != ArgumentSource::None; }},
    {"@v = arg7;",
     [](const ProbeKind &k) {
       return k.arguments == ArgumentSource::Registers ||
              k.arguments == ArgumentSource::RawArguments;
     }},
    {"@v = retval;", [](const ProbeKind &k) { return k.has_retval; }},
    {"@v = func;", [](const ProbeKind &k) { return k.has_func; }},
    {"@v = reg(\"ax\");", [](const ProbeKind &k) { return k.has_registers(); }},
    {"override(0);", [](const ProbeKind &k) { return k.can_override_return; }},
    {"@v = uaddr(\"x\");",
     [](const ProbeKind &k) { return k.address_space == AddressSpace::User; }},
};

TEST(CodegenBuiltins, KindBuiltinsAreAcceptedExactlyWhereTheyAreLowered) {
  for (const ProbeKind &kind : probe_kinds()) {
    for (const KindBuiltin &builtin : kKindBuiltins) {
      bool available = builtin.available(kind);
      Outcome outcome = compile_in(kind, builtin.body);
      EXPECT_EQ(outcome.accepted, available) << kind.name << ": " << builtin.body << "\n"
                                             << outcome.errors;
      if (outcome.accepted) {
        EXPECT_TRUE(outcome.lowered) << kind.name << ": " << builtin.body << "\n" << outcome.errors;
      }
    }
  }
}

TEST(CodegenBuiltins, EveryKindCompilesItsOwnBody) {
  for (const ProbeKind &kind : probe_kinds()) {
    Outcome outcome = compile_in(kind, "@n = count(); printf(\"%d\\n\", pid);");
    EXPECT_TRUE(outcome.lowered) << kind.name << "\n" << outcome.errors;
  }
}

} // namespace
} // namespace sonde::codegen
