// Sema's diagnostics, exact text, with a catalog that knows a few probes.
#include "parser/parser.h"
#include "sema/sema.h"

#include <gtest/gtest.h>

namespace sonde::sema {
namespace {

class FakeCatalog : public ProbeCatalog {
public:
  Expansion expand(const std::string &raw) override {
    if (raw == "begin" || raw == "BEGIN")
      return {{{"begin", "begin", {}}}, ""};
    if (raw == "tracepoint:syscalls:sys_enter_openat")
      return {{{"tracepoint", raw, {"syscalls", "sys_enter_openat"}}}, ""};
    if (raw == "kprobe:vfs_read")
      return {{{"kprobe", raw, {"vfs_read"}}}, ""};
    if (raw == "fexit:vfs_read")
      return {{{"fexit", raw, {"vmlinux", "vfs_read"}}}, ""};
    return {{}, "No probes matched '" + raw + "'"};
  }
  types::TypePtr tracepoint_args(const std::string &, const std::string &) override {
    auto args = std::make_shared<types::Type>();
    args->kind = types::Kind::Struct;
    args->name = "struct args";
    args->fields = {{"dfd", types::Type::integer(8, true), 16},
                    {"filename", types::Type::pointer(types::Type::integer(1, true), true), 24}};
    args->size = 32;
    return args;
  }
};

// The rendered diagnostics of analysing `text`.
std::string diagnose(const std::string &text) {
  Source source{"stdin", text};
  Diagnostics diags(source);
  auto program = parser::parse(source, diags);
  if (!program)
    return "parse failed: " + diags.render();
  FakeCatalog catalog;
  TypedProgram typed;
  analyse(*program, SemaOptions{}, catalog, diags, typed);
  return diags.render();
}

TEST(SemaSymbols, KaddrIsResolvedOnceAndRecordedForCodegen) {
  Source source{"stdin", "begin { @a = kaddr(\"vfs_read\"); @b = kaddr(\"vfs_read\"); }"};
  Diagnostics diags(source);
  auto program = parser::parse(source, diags);
  ASSERT_TRUE(program);
  SemaOptions options;
  int lookups = 0;
  options.resolve_symbol = [&](const std::string &symbol, const std::string &binary) {
    lookups++;
    return symbol == "vfs_read" && binary.empty() ? std::optional(SymbolInfo{0x1234, 0})
                                                  : std::nullopt;
  };
  FakeCatalog catalog;
  TypedProgram typed;
  ASSERT_TRUE(analyse(*program, options, catalog, diags, typed)) << diags.render();
  EXPECT_EQ(lookups, 1);
  ASSERT_EQ(typed.symbols.count({"", "vfs_read"}), 1u);
  EXPECT_EQ(typed.symbols.at({"", "vfs_read"}).address, 0x1234u);
}

TEST(SemaDiagnostics, ValidProgramHasNone) {
  EXPECT_EQ(diagnose("begin { @x = count(); @m[comm, pid] = sum(5); printf(\"%d\\n\", 1); }"), "");
}

TEST(SemaDiagnostics, UnknownFunctionSuggestsTheNearestName) {
  EXPECT_EQ(diagnose("kprobe:vfs_read { prnitf(\"x\\n\"); }"),
            "stdin:1:19-25: ERROR: Unknown function: 'prnitf'\n"
            "kprobe:vfs_read { prnitf(\"x\\n\"); }\n"
            "                  ~~~~~~\n"
            "HINT: did you mean 'printf'?\n");
}

TEST(SemaDiagnostics, MapValueTypeIsFixedAtFirstUse) {
  EXPECT_EQ(diagnose("begin { @x = count(); @x = 1; }"),
            "stdin:1:23-29: ERROR: Type mismatch for @x: trying to assign value of type 'int64' "
            "when map already contains a value of type 'count'\n"
            "begin { @x = count(); @x = 1; }\n"
            "                      ~~~~~~\n");
}

TEST(SemaDiagnostics, MapKeyTypeIsFixedAtFirstUse) {
  EXPECT_EQ(diagnose("begin { @m[1] = 1; @m[\"a\"] = 2; }"),
            "stdin:1:20-27: ERROR: Argument mismatch for @m: trying to access with arguments: "
            "[string] when map expects arguments: [int64]\n"
            "begin { @m[1] = 1; @m[\"a\"] = 2; }\n"
            "                   ~~~~~~~\n");
}

TEST(SemaDiagnostics, LetWithoutTypeOrValueTakesItsFirstAssignment) {
  EXPECT_EQ(diagnose("begin { let $s; if (1) { $s = \"a\"; } printf(\"%s\\n\", $s); let $n; }"),
            "");
  EXPECT_EQ(diagnose("begin { let $s; $s = \"a\"; $s = 1; }"),
            "stdin:1:27-33: ERROR: Type mismatch for $s: trying to assign value of type 'int8' "
            "when variable already contains a value of type 'string'\n"
            "begin { let $s; $s = \"a\"; $s = 1; }\n"
            "                          ~~~~~~\n");
}

TEST(SemaDiagnostics, UndefinedVariableSuggestsAVisibleOne) {
  EXPECT_EQ(diagnose("begin { $count = 1; printf(\"%d\\n\", $cuont); }"),
            "stdin:1:36-42: ERROR: Undefined or undeclared variable: $cuont\n"
            "begin { $count = 1; printf(\"%d\\n\", $cuont); }\n"
            "                                   ~~~~~~\n"
            "HINT: did you mean '$count'?\n");
}

TEST(SemaDiagnostics, AggregationsMustBeAssignedToMaps) {
  EXPECT_EQ(diagnose("begin { $x = count(); }"),
            "stdin:1:14-21: ERROR: count() must be assigned directly to a map, as in @x = "
            "count(...)\n"
            "begin { $x = count(); }\n"
            "             ~~~~~~~\n");
}

TEST(SemaDiagnostics, PrintfArgumentsMatchTheFormat) {
  EXPECT_EQ(diagnose("begin { printf(\"%d %d\\n\", 1); }"),
            "stdin:1:9-29: ERROR: printf: Too few arguments for format string (1 supplied, 2 "
            "expected)\n"
            "begin { printf(\"%d %d\\n\", 1); }\n"
            "        ~~~~~~~~~~~~~~~~~~~~\n");
}

TEST(SemaDiagnostics, TracepointArgumentsAreArgsFields) {
  EXPECT_EQ(diagnose("tracepoint:syscalls:sys_enter_openat { printf(\"%d\\n\", arg0); }"),
            "stdin:1:55-59: ERROR: arg0 is not available in tracepoint probes\n"
            "tracepoint:syscalls:sys_enter_openat { printf(\"%d\\n\", arg0); }\n"
            "                                                      ~~~~\n"
            "HINT: tracepoint arguments are args.<field>\n");
}

TEST(SemaDiagnostics, RetvalIsRefusedWhereCodegenCannotReadIt) {
  EXPECT_EQ(diagnose("fexit:vfs_read { @x = retval; }"),
            "stdin:1:23-29: ERROR: retval is not available in fexit probes\n"
            "fexit:vfs_read { @x = retval; }\n"
            "                      ~~~~~~\n"
            "HINT: retval is available in kretprobe and uretprobe probes\n");
}

TEST(SemaDiagnostics, ArgsFieldsAreChecked) {
  EXPECT_EQ(
      diagnose("tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args.filenam)); }"),
      "stdin:1:59-71: ERROR: 'struct args' has no field named 'filenam'\n"
      "tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args.filenam)); }\n"
      "                                                          ~~~~~~~~~~~~\n"
      "HINT: did you mean 'filename'?\n");
}

TEST(SemaDiagnostics, UnknownProbeIsAnError) {
  EXPECT_EQ(diagnose("nosuch:probe { }"), "stdin:1:1-13: ERROR: No probes matched 'nosuch:probe'\n"
                                          "nosuch:probe { }\n"
                                          "~~~~~~~~~~~~\n");
}

TEST(SemaDiagnostics, UnsafeFunctionsNeedUnsafe) {
  EXPECT_EQ(diagnose("begin { system(\"ls\"); }"),
            "stdin:1:9-21: ERROR: system() is an unsafe function: run with --unsafe to allow it\n"
            "begin { system(\"ls\"); }\n"
            "        ~~~~~~~~~~~~\n");
}

TEST(SemaDiagnostics, BreakOutsideALoop) {
  EXPECT_EQ(diagnose("begin { break; }"), "stdin:1:9-14: ERROR: break used outside of a loop\n"
                                          "begin { break; }\n"
                                          "        ~~~~~\n");
}

TEST(SemaDiagnostics, TSeriesIsUnstable) {
  // Warned once by default, whatever the number of calls.
  EXPECT_EQ(diagnose("begin { @a = tseries(1, 1s, 5); @b = tseries(2, 1s, 5); }"),
            "stdin:1:14-31: WARNING: Script is using an unstable feature: tseries. To prevent "
            "this warning you must explicitly enable it in the config e.g. "
            "unstable_tseries=enable\n"
            "begin { @a = tseries(1, 1s, 5); @b = tseries(2, 1s, 5); }\n"
            "             ~~~~~~~~~~~~~~~~~\n");
  EXPECT_EQ(diagnose("config = { unstable_tseries = enable } begin { @a = tseries(1, 1s, 5); }"),
            "");
  EXPECT_EQ(diagnose("config = { unstable_tseries = error } begin { @a = tseries(1, 1s, 5); }"),
            "stdin:1:52-69: ERROR: tseries feature is not enabled by default. To enable this "
            "unstable feature, set the config flag to enable. unstable_tseries=enable\n"
            "config = { unstable_tseries = error } begin { @a = tseries(1, 1s, 5); }\n"
            "                                                   ~~~~~~~~~~~~~~~~~\n");
  EXPECT_EQ(diagnose("config = { unstable_tseries = maybe } begin { }"),
            "stdin:1:12-28: ERROR: Invalid value for unstable_tseries: expected error, warn or "
            "enable\n"
            "config = { unstable_tseries = maybe } begin { }\n"
            "           ~~~~~~~~~~~~~~~~\n");
}

TEST(SemaDiagnostics, TSeriesArguments) {
  EXPECT_EQ(diagnose("config = { unstable_tseries = enable } begin { @ = tseries(1, 1s, 0); }"),
            "stdin:1:67: ERROR: tseries() num_intervals must be >= 1 (0 provided)\n"
            "config = { unstable_tseries = enable } begin { @ = tseries(1, 1s, 0); }\n"
            "                                                                  ~\n");
  EXPECT_EQ(diagnose("config = { unstable_tseries = enable } begin { @ = tseries(1, 1s, 2); "
                     "print(@, -5, 5); }"),
            "");
}

} // namespace
} // namespace sonde::sema
