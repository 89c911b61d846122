// Codegen: the tables a compiled script hands to the runtime, and its object.
#include "codegen/codegen.h"
#include "parser/parser.h"

#include <gtest/gtest.h>

#include <cstring>

namespace sonde::codegen {
namespace {

class BeginOnly : public sema::ProbeCatalog {
public:
  sema::Expansion expand(const std::string &raw) override {
    if (raw == "begin")
      return {{{"begin", "begin", {}}}, ""};
    if (raw == "interval:s:1")
      return {{{"interval", "interval:s:1", {"s", "1"}}}, ""};
    return {{}, "unknown probe"};
  }
  types::TypePtr tracepoint_args(const std::string &, const std::string &) override {
    return nullptr;
  }
};

struct Compiled {
  std::optional<CompiledScript> script;
  std::string errors;
  std::string ir;
};

Compiled compile_text(const std::string &text) {
  Source source{"stdin", text};
  Diagnostics diags(source);
  auto program = parser::parse(source, diags);
  EXPECT_TRUE(program) << diags.render();
  BeginOnly catalog;
  sema::TypedProgram typed;
  EXPECT_TRUE(sema::analyse(*program, {}, catalog, diags, typed)) << diags.render();
  Compiled out;
  CodegenOptions options;
  options.ir_after_opt = &out.ir;
  out.script = compile(typed, options, diags);
  out.errors = diags.render();
  return out;
}

TEST(Codegen, ObjectIsABpfElf) {
  auto c = compile_text("begin { printf(\"hi\\n\"); exit(); }");
  ASSERT_TRUE(c.script) << c.errors;
  const auto &elf = c.script->elf;
  ASSERT_GT(elf.size(), 64u);
  EXPECT_EQ(std::memcmp(elf.data(), "\x7f"
                                    "ELF",
                        4),
            0);
  EXPECT_EQ(elf[18], 247); // e_machine EM_BPF (little-endian low byte)
}

TEST(Codegen, OneProgramPerProbeWithItsTargets) {
  auto c = compile_text("begin { } interval:s:1 { exit(); }");
  ASSERT_TRUE(c.script) << c.errors;
  ASSERT_EQ(c.script->programs.size(), 2u);
  EXPECT_EQ(c.script->programs[0].provider, "begin");
  EXPECT_EQ(c.script->programs[1].provider, "interval");
  EXPECT_EQ(c.script->programs[1].targets.at(0).spec, "interval:s:1");
  EXPECT_EQ(c.script->probe_names, (std::vector<std::string>{"begin", "interval:s:1"}));
}

TEST(Codegen, MapsAreSortedByNameWithTheirTypes) {
  auto c = compile_text("begin { @b[comm] = count(); @a = 5; @h = hist(3); }");
  ASSERT_TRUE(c.script) << c.errors;
  const auto &maps = c.script->maps;
  ASSERT_EQ(maps.size(), 3u);
  EXPECT_EQ(maps[0].script_name, "@a");
  EXPECT_EQ(maps[0].key->kind, types::Kind::None);
  EXPECT_FALSE(maps[0].percpu);
  EXPECT_EQ(maps[1].script_name, "@b");
  EXPECT_EQ(maps[1].key->kind, types::Kind::String);
  EXPECT_EQ(maps[1].value->kind, types::Kind::Count);
  EXPECT_TRUE(maps[1].percpu);
  EXPECT_EQ(maps[2].value->kind, types::Kind::Hist);
  EXPECT_EQ(maps[1].max_entries, 4096u);
}

TEST(Codegen, PrintfEventsLayOutTheirArguments) {
  auto c = compile_text("begin { printf(\"%d %s\\n\", 42, comm); }");
  ASSERT_TRUE(c.script) << c.errors;
  ASSERT_EQ(c.script->events.size(), 1u);
  const auto &event = c.script->events[0];
  EXPECT_EQ(event.kind, EventKind::Printf);
  EXPECT_EQ(event.format, "%d %s\n");
  ASSERT_EQ(event.args.size(), 2u);
  EXPECT_EQ(event.args[0].offset, 0u);
  EXPECT_EQ(event.args[0].type->size, 8u);
  EXPECT_EQ(event.args[1].offset, 8u);
  EXPECT_EQ(event.args[1].type->kind, types::Kind::String);
  EXPECT_EQ(event.size, 8u + 8u + 16u);
}

TEST(Codegen, CountAddsInPlaceAndInsertsOnMiss) {
  auto c = compile_text("begin { @[pid] = count(); }");
  ASSERT_TRUE(c.script) << c.errors;
  // lookup (helper 1), then update (helper 2) only on the miss path.
  EXPECT_NE(c.ir.find("inttoptr (i64 1 to ptr)"), std::string::npos);
  EXPECT_NE(c.ir.find("inttoptr (i64 2 to ptr)"), std::string::npos);
  EXPECT_NE(c.ir.find("section \".maps\""), std::string::npos);
}

// The verifier resolves a typed ksym through kallsyms, which this machine's
// kernel lacks for data symbols, so the program is checked here, not loaded.
TEST(Codegen, PercpuKaddrIsATypedKsymPassedToPerCpuPtr) {
  auto c = compile_text("begin { print(*percpu_kaddr(\"process_counts\", 1)); "
                        "print(*percpu_kaddr(\"process_counts\")); }");
  ASSERT_TRUE(c.script) << c.errors;
  EXPECT_NE(c.ir.find("@process_counts = external global i8, section \".ksyms\""),
            std::string::npos)
      << c.ir;
  EXPECT_NE(c.ir.find("inttoptr (i64 153 to ptr)(ptr nonnull @process_counts, i64 1)"), std::string::npos)
      << c.ir;
  EXPECT_NE(c.ir.find("inttoptr (i64 154 to ptr)(ptr nonnull @process_counts)"), std::string::npos)
      << c.ir;
}

TEST(Codegen, ScratchIsOnlyLookedUpWhenUsed) {
  auto small = compile_text("begin { @x = 1; }");
  auto large = compile_text("begin { @s = str(0); }");
  ASSERT_TRUE(small.script && large.script);
  auto lookups = [](const std::string &ir) {
    size_t n = 0;
    for (size_t at = ir.find("@scratch"); at != std::string::npos; at = ir.find("@scratch", at + 1))
      n++;
    return n;
  };
  EXPECT_LT(lookups(small.ir), lookups(large.ir));
}

} // namespace
} // namespace sonde::codegen
