// A script's C definitions through libclang: layouts, constants, includes,
// diagnostics at script positions, and kernel BTF standing in for missing
// headers.

#include "types/btf_types.h"
#include "types/c_definitions.h"
#include "types/struct_layout.h"
#include "types_btf_support.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

namespace sonde::types {
namespace {

using testing::field;

// Each piece on its own line of a script, from line 1.
std::vector<CSource> script(std::vector<std::string> pieces) {
  std::vector<CSource> sources;
  for (size_t i = 0; i < pieces.size(); i++)
    sources.push_back(CSource{std::move(pieces[i]), static_cast<int>(i + 1), 1});
  return sources;
}

CParseResult parse(std::vector<std::string> pieces, CParseOptions options = {}) {
  return parse_c_definitions(script(std::move(pieces)), options);
}

std::string messages(const std::vector<CDiagnostic> &diagnostics) {
  std::string text;
  for (const CDiagnostic &d : diagnostics)
    text += d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
            d.message + "\n";
  return text;
}

TEST(CDefinitions, StructsWithNestedStructsArraysAndPointers) {
  auto result = parse({"struct inner { char tag; long value; }",
                       "struct outer { int id; struct inner in[2]; struct outer *next; "
                       "char name[16]; void *any; int (*callback)(int); int tail[]; }"});
  ASSERT_TRUE(result.errors.empty()) << messages(result.errors);
  TypePtr outer = result.types.find_type("struct outer");
  ASSERT_NE(outer, nullptr);
  EXPECT_EQ(outer->kind, Kind::Struct);
  EXPECT_EQ(outer->name, "struct outer");
  EXPECT_EQ(outer->size, 80u);
  EXPECT_EQ(outer->align, 8u);

  const Field *in = field(*outer, "in");
  ASSERT_NE(in, nullptr);
  EXPECT_EQ(in->offset, 8u);
  ASSERT_EQ(in->type->kind, Kind::Array);
  EXPECT_EQ(in->type->count, 2u);
  EXPECT_EQ(in->type->element, result.types.find_type("struct inner"));
  EXPECT_EQ(field(*in->type->element, "value")->offset, 8u);

  const Field *next = field(*outer, "next");
  EXPECT_EQ(next->offset, 40u);
  EXPECT_TRUE(is_unresolved_struct(*next->type->element));
  EXPECT_EQ(next->type->element->size, 80u);
  EXPECT_EQ(result.types.resolve(next->type->element), outer);

  EXPECT_EQ(*field(*outer, "name")->type, *Type::array(Type::integer(1, true), 16));
  EXPECT_EQ(*field(*outer, "any")->type, *Type::pointer(Type::integer(1, false)));
  EXPECT_EQ(*field(*outer, "callback")->type, *Type::pointer(Type::integer(1, false)));
  const Field *tail = field(*outer, "tail");
  EXPECT_EQ(tail->offset, 80u);
  EXPECT_EQ(tail->type->count, 0u);
}

TEST(CDefinitions, UnionsBitfieldsAndAnonymousMembers) {
  auto result = parse({"union number { int i; unsigned char bytes[4]; }",
                       "struct flags { unsigned a : 3, b : 5; int c : 30; "
                       "union { long l; struct { short lo, hi; }; }; struct { int q; } named; }"});
  ASSERT_TRUE(result.errors.empty()) << messages(result.errors);
  TypePtr number = result.types.find_type("union number");
  ASSERT_NE(number, nullptr);
  EXPECT_TRUE(number->is_union);
  EXPECT_EQ(number->size, 4u);
  EXPECT_EQ(field(*number, "bytes")->offset, 0u);

  TypePtr flags = result.types.find_type("struct flags");
  ASSERT_NE(flags, nullptr);
  const Field *b = field(*flags, "b");
  EXPECT_EQ(b->offset, 0u);
  EXPECT_EQ(b->bit_offset, 3u);
  EXPECT_EQ(b->bit_width, 5u);
  const Field *c = field(*flags, "c");
  EXPECT_EQ(c->offset, 4u); // does not fit after a and b in their int
  EXPECT_EQ(c->bit_offset, 0u);
  EXPECT_TRUE(c->type->is_signed);
  EXPECT_EQ(field(*flags, "l")->offset, 8u);
  EXPECT_EQ(field(*flags, "lo")->offset, 8u);
  EXPECT_EQ(field(*flags, "hi")->offset, 10u);
  const Field *named = field(*flags, "named");
  EXPECT_EQ(named->offset, 16u);
  EXPECT_EQ(named->type->fields.size(), 1u);
  EXPECT_EQ(flags->fields.size(), 7u);
}

TEST(CDefinitions, EnumsAndTypedefs) {
  auto result =
      parse({"enum color { RED, GREEN = 5, BLUE }", "enum { NEGATIVE = -2 }",
             "enum big { HUGE = 0x100000000 }", "typedef unsigned int my_u32",
             "typedef my_u32 my_id", "typedef struct { my_id id; enum color c; } item_t"});
  ASSERT_TRUE(result.errors.empty()) << messages(result.errors);
  EXPECT_EQ(result.types.constant("RED"), 0);
  EXPECT_EQ(result.types.constant("BLUE"), 6);
  EXPECT_EQ(result.types.constant("NEGATIVE"), -2);
  EXPECT_EQ(result.types.constant("HUGE"), 0x100000000);

  TypePtr color = result.types.find_type("enum color");
  ASSERT_NE(color, nullptr);
  EXPECT_EQ(color->kind, Kind::Integer);
  EXPECT_EQ(color->size, 4u);
  EXPECT_EQ(color->name, "enum color");
  EXPECT_EQ(result.types.find_type("enum big")->size, 8u);

  TypePtr id = result.types.find_type("my_id");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->name, "my_id");
  EXPECT_FALSE(id->is_signed);

  TypePtr item = result.types.find_type("item_t");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->name, "item_t");
  EXPECT_EQ(field(*item, "id")->type->name, "my_id");
  EXPECT_EQ(field(*item, "c")->offset, 4u);
  EXPECT_EQ(result.types.find_type("struct item_t"), nullptr);
}

TEST(CDefinitions, DefineConstants) {
  auto result =
      parse({"#define SHIFT 4", "#define MASK ((1 << SHIFT) - 1)", "#define LETTER 'a'",
             "#define ALL_ONES 0xffffffffffffffffULL", "#define NEG -5", "#define THIRD_COLOR BLUE",
             "enum color { RED, GREEN, BLUE }", "#define SIZE sizeof(struct pair)",
             "struct pair { int a, b; }", "#define TEXT \"text\"", "#define NOTHING",
             "#define TWICE(x) ((x) * 2)", "#define SIX TWICE(3)", "#define BROKEN (1 +",
             "#define GONE 1", "#undef GONE"});
  ASSERT_TRUE(result.errors.empty()) << messages(result.errors);
  EXPECT_EQ(result.types.constant("SHIFT"), 4);
  EXPECT_EQ(result.types.constant("MASK"), 15);
  EXPECT_EQ(result.types.constant("LETTER"), 'a');
  EXPECT_EQ(result.types.constant("ALL_ONES"), -1);
  EXPECT_EQ(result.types.constant("NEG"), -5);
  EXPECT_EQ(result.types.constant("THIRD_COLOR"), 2);
  EXPECT_EQ(result.types.constant("SIZE"), 8);
  EXPECT_EQ(result.types.constant("SIX"), 6);
  for (const char *name : {"TEXT", "NOTHING", "TWICE", "BROKEN", "GONE"})
    EXPECT_FALSE(result.types.constant(name).has_value()) << name;
}

class TempDir {
public:
  TempDir() {
    char pattern[] = "/tmp/sonde-c-XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string write(const std::string &name, const std::string &text) const {
    std::string path = path_ + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
    return path;
  }
  const std::string &path() const { return path_; }

private:
  std::string path_;
};

TEST(CDefinitions, IncludeDirsAndForcedIncludes) {
  TempDir dir;
  dir.write("mine/point.h", "#define ORIGIN 7\nstruct point { int x, y; };\n");
  std::string forced = dir.write("forced.h", "typedef long forced_t;\n");
  CParseOptions options;
  options.include_dirs = {dir.path()};
  options.forced_includes = {forced};
  auto result =
      parse({"#include <mine/point.h>", "struct line { struct point a, b; forced_t n; }"}, options);
  ASSERT_TRUE(result.errors.empty()) << messages(result.errors);
  TypePtr line = result.types.find_type("struct line");
  ASSERT_NE(line, nullptr);
  EXPECT_EQ(line->size, 24u);
  EXPECT_EQ(field(*line, "n")->type->name, "forced_t");
  EXPECT_NE(result.types.find_type("struct point"), nullptr);
  EXPECT_EQ(result.types.constant("ORIGIN"), 7);
  EXPECT_TRUE(result.warnings.empty()) << messages(result.warnings);
}

TEST(CDefinitions, ErrorsPointIntoTheScript) {
  std::vector<CSource> sources = {{"struct fine { int a; }", 3, 1},
                                  {"struct broken { int a; nosuch_t b; }", 5, 9}};
  CParseOptions options;
  options.file_name = "probe.bt";
  auto result = parse_c_definitions(sources, options);
  ASSERT_EQ(result.errors.size(), 1u) << messages(result.errors);
  const CDiagnostic &error = result.errors[0];
  EXPECT_EQ(error.file, "probe.bt");
  EXPECT_EQ(error.line, 5);
  EXPECT_EQ(error.column, 9 + 23);
  EXPECT_EQ(error.message, "unknown type name 'nosuch_t'");
  EXPECT_EQ(result.types.find_type("struct fine"), nullptr);
}

TEST(CDefinitions, MissingHeadersFallBackToKernelBtf) {
  CParseOptions options;
  options.file_name = "paths.bt";
  options.kernel = &KernelTypes::get();
  auto result = parse({"#include <linux/path.h>", "#include <linux/dcache.h>",
                       "struct walk { struct path where; struct dentry *parent; u64 depth; "
                       "char comm[TASK_COMM_LEN]; }"},
                      options);
  ASSERT_TRUE(result.errors.empty()) << messages(result.errors);
  ASSERT_EQ(result.warnings.size(), 2u) << messages(result.warnings);
  EXPECT_EQ(result.warnings[0].line, 1);
  EXPECT_EQ(result.warnings[0].message, "'linux/path.h' not found; using kernel BTF for its types");
  EXPECT_EQ(result.warnings[1].line, 2);

  TypePtr walk = result.types.find_type("struct walk");
  ASSERT_NE(walk, nullptr);
  EXPECT_EQ(walk->size, 48u);
  EXPECT_EQ(field(*walk, "where")->type->name, "struct path");
  EXPECT_EQ(field(*walk, "depth")->offset, 24u);
  EXPECT_EQ(field(*walk, "comm")->type->count, 16u);
  TypePtr path = result.types.find_type("struct path");
  ASSERT_NE(path, nullptr);
  EXPECT_EQ(field(*path, "dentry")->offset, 8u);
  // Only pointed to: complete it from the kernel.
  TypePtr dentry = field(*walk, "parent")->type->element;
  EXPECT_EQ(result.types.resolve(dentry), dentry);
  EXPECT_NE(field(*KernelTypes::get().resolve(dentry), "d_name"), nullptr);
}

TEST(CDefinitions, MissingHeaderWithoutKernelTypesIsAnError) {
  auto result = parse({"#include <linux/path.h>", "struct s { int a; }"});
  ASSERT_EQ(result.errors.size(), 1u) << messages(result.errors);
  EXPECT_EQ(result.errors[0].message, "'linux/path.h' file not found");
  EXPECT_EQ(result.errors[0].line, 1);
  EXPECT_TRUE(result.warnings.empty());
}

TEST(CDefinitions, MissingHeaderOutsideTheKernelTreesIsAnError) {
  CParseOptions options;
  options.kernel = &KernelTypes::get();
  auto result = parse({"#include <lol/no.h>", "struct s { int a; }"}, options);
  ASSERT_EQ(result.errors.size(), 1u) << messages(result.errors);
  EXPECT_EQ(result.errors[0].message, "'lol/no.h' file not found");
  EXPECT_TRUE(result.warnings.empty());
}

TEST(CDefinitions, KernelTypesWithoutAnyInclude) {
  CParseOptions options;
  options.kernel = &KernelTypes::get();
  auto result = parse({"struct mine { struct task_struct *task; pid_t pid; struct list_head node; "
                       "struct nosuch *opaque; }"},
                      options);
  ASSERT_TRUE(result.errors.empty()) << messages(result.errors);
  EXPECT_TRUE(result.warnings.empty());
  TypePtr mine = result.types.find_type("struct mine");
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ(field(*mine, "pid")->type->name, "pid_t");
  EXPECT_EQ(field(*mine, "node")->offset, 16u);
  EXPECT_EQ(mine->size, 40u);
}

TEST(CDefinitions, UnknownKernelTypeStaysAnError) {
  CParseOptions options;
  options.kernel = &KernelTypes::get();
  auto result = parse({"struct mine { struct sonde_nosuch value; }"}, options);
  ASSERT_EQ(result.errors.size(), 1u) << messages(result.errors);
  EXPECT_EQ(result.errors[0].message, "field has incomplete type 'struct sonde_nosuch'");
}

TEST(CDefinitions, NothingToParse) {
  auto result = parse({});
  EXPECT_TRUE(result.errors.empty());
  EXPECT_EQ(result.types.find_type("struct anything"), nullptr);
  EXPECT_TRUE(result.types.constants().empty());
}

// Clang lays out the C that btf_dump writes for a kernel struct on its own:
// that layout must be the one KernelTypes reads from BTF, field by field.
TEST(CDefinitions, ClangAgreesWithKernelBtfLayouts) {
  KernelTypes &kernel = KernelTypes::get();
  for (const char *name : {"struct task_struct", "struct sk_buff", "union bpf_attr", "struct page",
                           "struct mm_struct", "struct sock", "struct file"}) {
    CParseOptions options;
    options.kernel = &kernel;
    auto result = parse({"struct sonde_check { " + std::string(name) + " value; }"}, options);
    ASSERT_TRUE(result.errors.empty()) << name << "\n" << messages(result.errors);
    TypePtr from_clang = result.types.find_type(name);
    TypePtr from_btf = kernel.find_type(name);
    ASSERT_TRUE(from_clang && from_btf) << name;
    EXPECT_EQ(from_clang->size, from_btf->size) << name;
    ASSERT_EQ(from_clang->fields.size(), from_btf->fields.size()) << name;
    for (size_t i = 0; i < from_btf->fields.size(); i++) {
      const Field &c = from_clang->fields[i];
      const Field &b = from_btf->fields[i];
      EXPECT_EQ(c.name, b.name) << name;
      EXPECT_EQ(c.offset, b.offset) << name << "." << b.name;
      EXPECT_EQ(c.bit_offset, b.bit_offset) << name << "." << b.name;
      EXPECT_EQ(c.bit_width, b.bit_width) << name << "." << b.name;
      EXPECT_EQ(c.type->size, b.type->size) << name << "." << b.name;
      EXPECT_EQ(c.type->display_name(), b.type->display_name()) << name << "." << b.name;
    }
  }
}

} // namespace
} // namespace sonde::types
