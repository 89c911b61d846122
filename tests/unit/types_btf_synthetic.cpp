// KernelTypes on BTF written by the tests themselves, for the corners the
// running kernel may not show: straddling bitfields, __user tags, 64-bit
// enums, flexible arrays, forward declarations and module BTF.

#include "types/btf_types.h"
#include "types/struct_layout.h"
#include "types_btf_support.h"

#include <bpf/btf.h>
#include <cstdint>
#include <gtest/gtest.h>
#include <memory>

namespace sonde::types {
namespace {

using testing::BtfDir;
using testing::field;

struct BtfFree {
  void operator()(btf *types) const { btf__free(types); }
};
using BtfPtr = std::unique_ptr<btf, BtfFree>;

// The base ("vmlinux") BTF of these tests; ids in the order they are added.
struct Base {
  BtfPtr types{btf__new_empty()};
  int int_id = btf__add_int(types.get(), "int", 4, BTF_INT_SIGNED);
  int uint_id = btf__add_int(types.get(), "unsigned int", 4, 0);
  int char_id = btf__add_int(types.get(), "char", 1, 0);
  int bool_id = btf__add_int(types.get(), "_Bool", 1, BTF_INT_BOOL);
  int int128_id = btf__add_int(types.get(), "__int128", 16, BTF_INT_SIGNED);
  int double_id = btf__add_float(types.get(), "double", 8);
};

class SyntheticBtf : public ::testing::Test {
protected:
  BtfDir dir;
  Base base;
};

TEST_F(SyntheticBtf, StraddlingBitfieldUsesTheByteOfItsFirstBit) {
  btf *t = base.types.get();
  // struct __attribute__((packed)) bits { unsigned a : 20; unsigned b : 30; };
  btf__add_struct(t, "bits", 7);
  btf__add_field(t, "a", base.uint_id, 0, 20);
  btf__add_field(t, "b", base.uint_id, 20, 30);
  dir.write("vmlinux", t);

  KernelTypes kernel(dir.path());
  TypePtr bits = kernel.find_type("struct bits");
  ASSERT_NE(bits, nullptr);
  EXPECT_EQ(bits->size, 7u);
  EXPECT_EQ(bits->align, 1u); // packed
  const Field *a = field(*bits, "a");
  const Field *b = field(*bits, "b");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->offset, 0u);
  EXPECT_EQ(a->bit_offset, 0u);
  EXPECT_EQ(a->bit_width, 20u);
  EXPECT_EQ(b->offset, 2u);
  EXPECT_EQ(b->bit_offset, 4u);
  EXPECT_EQ(b->bit_width, 30u);
}

TEST_F(SyntheticBtf, NestedAnonymousMembersAreFlattened) {
  btf *t = base.types.get();
  // struct outer { int x; union { int u; struct { char s1; char s2; }; }; };
  int inner = btf__add_struct(t, nullptr, 2);
  btf__add_field(t, "s1", base.char_id, 0, 0);
  btf__add_field(t, "s2", base.char_id, 8, 0);
  int middle = btf__add_union(t, nullptr, 4);
  btf__add_field(t, "u", base.int_id, 0, 0);
  btf__add_field(t, nullptr, inner, 0, 0);
  btf__add_struct(t, "outer", 8);
  btf__add_field(t, "x", base.int_id, 0, 0);
  btf__add_field(t, nullptr, middle, 32, 0);
  dir.write("vmlinux", t);

  TypePtr outer = KernelTypes(dir.path()).find_type("struct outer");
  ASSERT_NE(outer, nullptr);
  ASSERT_EQ(outer->fields.size(), 4u);
  EXPECT_EQ(field(*outer, "x")->offset, 0u);
  EXPECT_EQ(field(*outer, "u")->offset, 4u);
  EXPECT_EQ(field(*outer, "s1")->offset, 4u);
  EXPECT_EQ(field(*outer, "s2")->offset, 5u);
}

TEST_F(SyntheticBtf, PointersAndTheirPointees) {
  btf *t = base.types.get();
  int user_char = btf__add_type_tag(t, "user", base.char_id);
  int user_ptr = btf__add_ptr(t, user_char);
  int const_int = btf__add_const(t, base.int_id);
  int volatile_const_int = btf__add_volatile(t, const_int);
  int proto = btf__add_func_proto(t, base.int_id);
  btf__add_func_param(t, "x", base.int_id);
  int fn_ptr = btf__add_ptr(t, proto);
  int void_ptr = btf__add_ptr(t, 0);
  int fwd = btf__add_fwd(t, "opaque", BTF_FWD_STRUCT);
  int fwd_ptr = btf__add_ptr(t, fwd);
  int flex = btf__add_array(t, base.int_id, base.int_id, 0);
  btf__add_struct(t, "holder", 40);
  btf__add_field(t, "buf", user_ptr, 0, 0);
  btf__add_field(t, "callback", fn_ptr, 64, 0);
  btf__add_field(t, "any", void_ptr, 128, 0);
  btf__add_field(t, "hidden", fwd_ptr, 192, 0);
  btf__add_field(t, "count", volatile_const_int, 256, 0);
  btf__add_field(t, "items", flex, 288, 0);
  dir.write("vmlinux", t);

  KernelTypes kernel(dir.path());
  TypePtr holder = kernel.find_type("struct holder");
  ASSERT_NE(holder, nullptr);
  const Field *buf = field(*holder, "buf");
  ASSERT_NE(buf, nullptr);
  EXPECT_TRUE(buf->type->user_space);
  EXPECT_EQ(*buf->type->element, *Type::integer(1, true));

  EXPECT_EQ(*field(*holder, "callback")->type, *Type::pointer(Type::integer(1, false)));
  EXPECT_EQ(*field(*holder, "any")->type, *Type::pointer(Type::integer(1, false)));
  EXPECT_FALSE(field(*holder, "any")->type->user_space);

  TypePtr hidden = field(*holder, "hidden")->type->element;
  EXPECT_EQ(hidden->name, "struct opaque");
  EXPECT_TRUE(is_unresolved_struct(*hidden));
  EXPECT_EQ(kernel.resolve(hidden), hidden);
  EXPECT_EQ(kernel.find_type("struct opaque"), nullptr);

  EXPECT_EQ(*field(*holder, "count")->type, *Type::integer(4, true));
  const Field *items = field(*holder, "items");
  ASSERT_EQ(items->type->kind, Kind::Array);
  EXPECT_EQ(items->type->count, 0u);
  EXPECT_EQ(items->offset, 36u);
}

TEST_F(SyntheticBtf, BaseTypesWithoutAKindOfTheirOwn) {
  btf *t = base.types.get();
  btf__add_struct(t, "odd", 32);
  btf__add_field(t, "wide", base.int128_id, 0, 0);
  btf__add_field(t, "real", base.double_id, 128, 0);
  btf__add_field(t, "flag", base.bool_id, 192, 0);
  dir.write("vmlinux", t);

  TypePtr odd = KernelTypes(dir.path()).find_type("struct odd");
  ASSERT_NE(odd, nullptr);
  TypePtr wide = field(*odd, "wide")->type;
  EXPECT_EQ(wide->kind, Kind::Array);
  EXPECT_EQ(wide->size, 16u);
  EXPECT_EQ(field(*odd, "real")->type->size, 8u);
  EXPECT_EQ(field(*odd, "flag")->type->kind, Kind::Bool);
}

TEST_F(SyntheticBtf, EnumsOfEverySizeAndSign) {
  btf *t = base.types.get();
  btf__add_enum(t, "positive", 4);
  btf__add_enum_value(t, "POSITIVE_MAX", 0x7fffffff);
  btf__add_enum(t, "negative", 4);
  btf__add_enum_value(t, "NEGATIVE_MIN", INT32_MIN);
  btf__add_enum64(t, "big", 8, true);
  btf__add_enum64_value(t, "BIG_NEGATIVE", -5);
  btf__add_enum64_value(t, "BIG_HUGE", 1ll << 40);
  int anonymous = btf__add_enum(t, nullptr, 4);
  btf__add_enum_value(t, "LONELY", 7);
  btf__add_typedef(t, "lonely_t", anonymous);
  dir.write("vmlinux", t);

  KernelTypes kernel(dir.path());
  EXPECT_EQ(kernel.enum_value("POSITIVE_MAX"), 0x7fffffff);
  EXPECT_EQ(kernel.enum_value("NEGATIVE_MIN"), INT32_MIN);
  EXPECT_EQ(kernel.enum_value("BIG_NEGATIVE"), -5);
  EXPECT_EQ(kernel.enum_value("BIG_HUGE"), 1ll << 40);
  EXPECT_EQ(kernel.enum_value("LONELY"), 7);

  TypePtr big = kernel.find_type("enum big");
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(big->size, 8u);
  EXPECT_TRUE(big->is_signed);
  EXPECT_EQ(big->name, "enum big");
  EXPECT_FALSE(kernel.find_type("enum positive")->is_signed);
  EXPECT_TRUE(kernel.find_type("enum negative")->is_signed);
  EXPECT_EQ(kernel.find_type("lonely_t")->name, "lonely_t");
}

TEST_F(SyntheticBtf, StructArgumentsTakeTwoSlots) {
  btf *t = base.types.get();
  int pair = btf__add_struct(t, "pair", 16);
  btf__add_field(t, "a", base.int_id, 0, 0);
  btf__add_field(t, "b", base.int_id, 64, 0);
  int proto = btf__add_func_proto(t, 0);
  btf__add_func_param(t, "first", base.char_id);
  btf__add_func_param(t, "both", pair);
  btf__add_func_param(t, "last", base.int_id);
  btf__add_func(t, "take_pair", BTF_FUNC_GLOBAL, proto);
  dir.write("vmlinux", t);

  auto prototype = KernelTypes(dir.path()).function_prototype("take_pair");
  ASSERT_TRUE(prototype.has_value());
  const Type &args = *prototype->args;
  ASSERT_EQ(args.fields.size(), 3u);
  EXPECT_EQ(args.fields[0].offset, 0u);
  EXPECT_EQ(args.fields[1].offset, 8u);
  EXPECT_EQ(args.fields[1].type->name, "struct pair");
  EXPECT_EQ(args.fields[2].offset, 24u);
  EXPECT_EQ(args.size, 32u);
  EXPECT_EQ(prototype->return_type->kind, Kind::None);
}

TEST_F(SyntheticBtf, ModuleTypesAreFoundAfterVmlinux) {
  btf *t = base.types.get();
  int task = btf__add_struct(t, "task", 4);
  btf__add_field(t, "pid", base.int_id, 0, 0);
  dir.write("vmlinux", t);

  BtfPtr module(btf__new_empty_split(t));
  btf *m = module.get();
  int task_ptr = btf__add_ptr(m, task);
  btf__add_struct(m, "module_state", 16);
  btf__add_field(m, "owner", task_ptr, 0, 0);
  btf__add_field(m, "embedded", task, 64, 0);
  btf__add_enum(m, "module_enum", 4);
  btf__add_enum_value(m, "MODULE_ONLY", 42);
  int proto = btf__add_func_proto(m, base.int_id);
  btf__add_func_param(m, "state", task_ptr);
  btf__add_func(m, "module_function", BTF_FUNC_GLOBAL, proto);
  dir.write("sonde_test_module", m);

  KernelTypes kernel(dir.path());
  TypePtr state = kernel.find_type("struct module_state");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(field(*state, "owner")->type->display_name(), "struct task *");
  // vmlinux types reached from a module are the very same Types.
  EXPECT_EQ(field(*state, "embedded")->type, kernel.find_type("struct task"));
  EXPECT_EQ(kernel.resolve(field(*state, "owner")->type->element), kernel.find_type("struct task"));
  EXPECT_EQ(kernel.enum_value("MODULE_ONLY"), 42);
  auto function = kernel.function_prototype("module_function");
  ASSERT_TRUE(function.has_value());
  EXPECT_EQ(function->module, "sonde_test_module");
  EXPECT_EQ(function->args->fields[0].name, "state");

  std::string c = kernel.c_source({"struct module_state", "struct task"});
  EXPECT_NE(c.find("struct module_state {"), std::string::npos) << c;
  EXPECT_EQ(c.find("struct task {"), c.rfind("struct task {")) << "written twice:\n" << c;
}

TEST_F(SyntheticBtf, ModulesOnTopOfTheRunningKernel) {
  dir.link_kernel_vmlinux();
  BtfPtr vmlinux(btf__parse("/sys/kernel/btf/vmlinux", nullptr));
  ASSERT_NE(vmlinux, nullptr);
  int task = btf__find_by_name_kind(vmlinux.get(), "task_struct", BTF_KIND_STRUCT);
  BtfPtr module(btf__new_empty_split(vmlinux.get()));
  int task_ptr = btf__add_ptr(module.get(), task);
  btf__add_struct(module.get(), "sonde_module_struct", 8);
  btf__add_field(module.get(), "task", task_ptr, 0, 0);
  dir.write("sonde_test_module", module.get());

  KernelTypes kernel(dir.path());
  TypePtr own = kernel.find_type("struct sonde_module_struct");
  ASSERT_NE(own, nullptr);
  ASSERT_EQ(own->fields.size(), 1u);
  TypePtr task_struct = kernel.resolve(own->fields[0].type->element);
  EXPECT_EQ(task_struct, kernel.find_type("struct task_struct"));
  EXPECT_NE(field(*task_struct, "pid"), nullptr);
}

} // namespace
} // namespace sonde::types
