// KernelTypes against the running kernel's BTF (/sys/kernel/btf/vmlinux).

#include "types/btf_types.h"
#include "types/struct_layout.h"
#include "types_btf_support.h"

#include <bpf/btf.h>
#include <gtest/gtest.h>

namespace sonde::types {
namespace {

using testing::field;

// A direct member's byte offset and BTF type size, read with libbpf alone.
struct RawMember {
  uint64_t offset;
  uint64_t size;
};

RawMember raw_member(const char *struct_name, const char *member) {
  btf *types = btf__parse("/sys/kernel/btf/vmlinux", nullptr);
  EXPECT_NE(types, nullptr);
  int id = btf__find_by_name_kind(types, struct_name, BTF_KIND_STRUCT);
  const btf_type *type = btf__type_by_id(types, id);
  RawMember found{~uint64_t{0}, 0};
  for (uint32_t i = 0; i < btf_vlen(type); i++)
    if (std::string(btf__name_by_offset(types, btf_members(type)[i].name_off)) == member)
      found = {btf_member_bit_offset(type, i) / 8u,
               static_cast<uint64_t>(btf__resolve_size(types, btf_members(type)[i].type))};
  btf__free(types);
  return found;
}

TEST(KernelTypes, TaskStructLayoutMatchesBtf) {
  TypePtr task = KernelTypes::get().find_type("struct task_struct");
  ASSERT_NE(task, nullptr);
  EXPECT_EQ(task->kind, Kind::Struct);
  EXPECT_EQ(task->name, "struct task_struct");
  EXPECT_FALSE(task->is_union);
  EXPECT_GT(task->size, 1000u);

  const Field *pid = field(*task, "pid");
  const Field *tgid = field(*task, "tgid");
  const Field *comm = field(*task, "comm");
  ASSERT_TRUE(pid && tgid && comm);
  EXPECT_EQ(pid->offset, raw_member("task_struct", "pid").offset);
  EXPECT_EQ(tgid->offset, pid->offset + 4);
  EXPECT_EQ(comm->offset, raw_member("task_struct", "comm").offset);

  EXPECT_EQ(pid->type->kind, Kind::Integer);
  EXPECT_EQ(pid->type->size, 4u);
  EXPECT_TRUE(pid->type->is_signed);
  EXPECT_EQ(pid->type->name, "pid_t");

  ASSERT_EQ(comm->type->kind, Kind::Array);
  EXPECT_EQ(comm->type->count, 16u);
  EXPECT_EQ(comm->type->element->kind, Kind::Integer);
  EXPECT_EQ(comm->type->element->size, 1u);
  EXPECT_TRUE(comm->type->element->is_signed);
}

TEST(KernelTypes, EveryNamedFieldMatchesItsBtfMember) {
  TypePtr task = KernelTypes::get().find_type("struct task_struct");
  ASSERT_NE(task, nullptr);
  for (const char *name : {"flags", "prio", "mm", "real_parent", "cred", "nsproxy", "start_time"}) {
    const Field *f = field(*task, name);
    ASSERT_NE(f, nullptr);
    RawMember raw = raw_member("task_struct", name);
    EXPECT_EQ(f->offset, raw.offset) << name;
    EXPECT_EQ(f->type->size, raw.size) << name;
  }
}

TEST(KernelTypes, PointeeStructsAreNamedAndResolvedOnDemand) {
  KernelTypes &kernel = KernelTypes::get();
  TypePtr task = kernel.find_type("struct task_struct");
  ASSERT_NE(task, nullptr);
  const Field *parent = field(*task, "parent");
  const Field *mm = field(*task, "mm");
  ASSERT_TRUE(parent && mm);
  ASSERT_EQ(parent->type->kind, Kind::Pointer);
  EXPECT_EQ(parent->type->display_name(), "struct task_struct *");
  EXPECT_TRUE(is_unresolved_struct(*parent->type->element));
  EXPECT_EQ(parent->type->element->size, task->size);

  TypePtr resolved = kernel.resolve(parent->type->element);
  EXPECT_EQ(resolved, task);
  TypePtr mm_struct = kernel.resolve(mm->type->element);
  EXPECT_EQ(mm_struct->name, "struct mm_struct");
  EXPECT_FALSE(mm_struct->fields.empty());
  EXPECT_NE(field(*mm_struct, "pgd"), nullptr);

  TypePtr plain = Type::integer(4, true);
  EXPECT_EQ(kernel.resolve(plain), plain);
}

// Structs embedded by value are complete.
TEST(KernelTypes, EmbeddedStructsAreComplete) {
  TypePtr path = KernelTypes::get().find_type("struct path");
  ASSERT_NE(path, nullptr);
  ASSERT_EQ(path->fields.size(), 2u);
  EXPECT_EQ(path->fields[0].name, "mnt");
  EXPECT_EQ(path->fields[1].name, "dentry");
  EXPECT_EQ(path->fields[1].offset, 8u);
  EXPECT_EQ(path->fields[1].type->display_name(), "struct dentry *");

  TypePtr file = KernelTypes::get().find_type("struct file");
  ASSERT_NE(file, nullptr);
  const Field *f_path = field(*file, "f_path");
  ASSERT_NE(f_path, nullptr);
  EXPECT_EQ(f_path->type, path);
}

TEST(KernelTypes, BitfieldsSitInTheirStorageUnit) {
  TypePtr task = KernelTypes::get().find_type("struct task_struct");
  ASSERT_NE(task, nullptr);
  btf *types = btf__parse("/sys/kernel/btf/vmlinux", nullptr);
  ASSERT_NE(types, nullptr);
  const btf_type *raw =
      btf__type_by_id(types, btf__find_by_name_kind(types, "task_struct", BTF_KIND_STRUCT));
  int bitfields = 0;
  for (uint32_t i = 0; i < btf_vlen(raw); i++) {
    if (!btf_member_bitfield_size(raw, i))
      continue;
    bitfields++;
    const Field *f = field(*task, btf__name_by_offset(types, btf_members(raw)[i].name_off));
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->bit_width, btf_member_bitfield_size(raw, i));
    EXPECT_EQ(f->offset * 8 + f->bit_offset, btf_member_bit_offset(raw, i)) << f->name;
    EXPECT_EQ(f->offset % f->type->size, 0u) << f->name;
    EXPECT_LE(f->bit_offset + f->bit_width, f->type->size * 8) << f->name;
  }
  btf__free(types);
  EXPECT_GT(bitfields, 0);
}

TEST(KernelTypes, UnionsAndAnonymousMembers) {
  KernelTypes &kernel = KernelTypes::get();
  TypePtr attr = kernel.find_type("union bpf_attr");
  ASSERT_NE(attr, nullptr);
  EXPECT_TRUE(attr->is_union);
  EXPECT_EQ(attr->name, "union bpf_attr");
  // The first anonymous struct of bpf_attr (BPF_MAP_CREATE) starts at 0.
  const Field *map_type = field(*attr, "map_type");
  ASSERT_NE(map_type, nullptr);
  EXPECT_EQ(map_type->offset, 0u);

  // struct sk_buff { union { struct { next; prev; ... }; struct rb_node rbnode; ... }; ... }
  TypePtr skb = kernel.find_type("struct sk_buff");
  ASSERT_NE(skb, nullptr);
  const Field *next = field(*skb, "next");
  const Field *prev = field(*skb, "prev");
  const Field *rbnode = field(*skb, "rbnode");
  ASSERT_TRUE(next && prev && rbnode);
  EXPECT_EQ(next->offset, 0u);
  EXPECT_EQ(prev->offset, 8u);
  EXPECT_EQ(rbnode->offset, 0u);
  for (const Field &f : skb->fields)
    EXPECT_FALSE(f.name.empty());
}

TEST(KernelTypes, Enums) {
  KernelTypes &kernel = KernelTypes::get();
  TypePtr pid_type = kernel.find_type("enum pid_type");
  ASSERT_NE(pid_type, nullptr);
  EXPECT_EQ(pid_type->kind, Kind::Integer);
  EXPECT_EQ(pid_type->size, 4u);
  EXPECT_EQ(pid_type->name, "enum pid_type");
  EXPECT_EQ(kernel.enum_value("PIDTYPE_PID"), 0);
  EXPECT_EQ(kernel.enum_value("PIDTYPE_TGID"), 1);
  EXPECT_EQ(kernel.enum_value("TASK_COMM_LEN"), 16);
  EXPECT_EQ(kernel.enum_value("BPF_MAP_TYPE_HASH"), 1);
  EXPECT_FALSE(kernel.enum_value("SONDE_NO_SUCH_ENUMERATOR").has_value());
}

TEST(KernelTypes, TypedefChains) {
  KernelTypes &kernel = KernelTypes::get();
  TypePtr u64 = kernel.find_type("u64");
  ASSERT_NE(u64, nullptr);
  EXPECT_EQ(u64->kind, Kind::Integer);
  EXPECT_EQ(u64->size, 8u);
  EXPECT_FALSE(u64->is_signed);
  EXPECT_EQ(u64->name, "u64");

  TypePtr s16 = kernel.find_type("s16");
  ASSERT_NE(s16, nullptr);
  EXPECT_EQ(s16->size, 2u);
  EXPECT_TRUE(s16->is_signed);

  // typedef struct { int counter; } atomic_t;
  TypePtr atomic = kernel.find_type("atomic_t");
  ASSERT_NE(atomic, nullptr);
  EXPECT_EQ(atomic->kind, Kind::Struct);
  EXPECT_EQ(atomic->name, "atomic_t");
  ASSERT_EQ(atomic->fields.size(), 1u);
  EXPECT_EQ(atomic->fields[0].name, "counter");

  // typedef struct spinlock { ... } spinlock_t;
  TypePtr spinlock = kernel.find_type("spinlock_t");
  ASSERT_NE(spinlock, nullptr);
  EXPECT_EQ(spinlock->name, "struct spinlock");

  TypePtr uint = kernel.find_type("unsigned int");
  ASSERT_NE(uint, nullptr);
  EXPECT_EQ(*uint, *Type::integer(4, false));
  EXPECT_TRUE(kernel.has_type("  struct   task_struct "));
}

TEST(KernelTypes, UnknownNames) {
  KernelTypes &kernel = KernelTypes::get();
  EXPECT_EQ(kernel.find_type("struct sonde_no_such_struct"), nullptr);
  EXPECT_EQ(kernel.find_type("task_struct"), nullptr); // a struct tag, not a typedef
  EXPECT_FALSE(kernel.has_type("union task_struct"));
}

TEST(KernelTypes, FunctionAndRawTracepointPrototypes) {
  KernelTypes &kernel = KernelTypes::get();
  // ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos)
  auto vfs_read = kernel.function_prototype("vfs_read");
  ASSERT_TRUE(vfs_read.has_value());
  EXPECT_EQ(vfs_read->module, "vmlinux");
  ASSERT_EQ(vfs_read->args->kind, Kind::Record);
  ASSERT_EQ(vfs_read->args->fields.size(), 4u);
  EXPECT_EQ(vfs_read->args->fields[0].name, "file");
  EXPECT_EQ(vfs_read->args->fields[0].type->display_name(), "struct file *");
  EXPECT_EQ(vfs_read->args->fields[2].name, "count");
  EXPECT_EQ(vfs_read->args->fields[2].offset, 16u);
  EXPECT_EQ(vfs_read->args->size, 32u);
  EXPECT_EQ(vfs_read->return_type->size, 8u);
  EXPECT_TRUE(vfs_read->return_type->is_signed);

  // TP_PROTO(bool preempt, struct task_struct *prev, struct task_struct *next,
  //          unsigned int prev_state)
  auto sched_switch = kernel.raw_tracepoint_prototype("sched_switch");
  ASSERT_TRUE(sched_switch.has_value());
  ASSERT_EQ(sched_switch->args->fields.size(), 4u);
  EXPECT_EQ(sched_switch->args->fields[0].name, "preempt");
  EXPECT_EQ(sched_switch->args->fields[0].type->kind, Kind::Bool);
  EXPECT_EQ(sched_switch->args->fields[1].name, "prev");
  EXPECT_EQ(sched_switch->args->fields[1].offset, 8u);
  EXPECT_EQ(sched_switch->return_type->kind, Kind::None);

  // sched_wakeup shares its callback's class with other events.
  auto sched_wakeup = kernel.raw_tracepoint_prototype("sched_wakeup");
  ASSERT_TRUE(sched_wakeup.has_value());
  ASSERT_EQ(sched_wakeup->args->fields.size(), 1u);
  EXPECT_EQ(sched_wakeup->args->fields[0].name, "p");

  EXPECT_FALSE(kernel.function_prototype("sonde_no_such_function").has_value());
  EXPECT_FALSE(kernel.raw_tracepoint_prototype("sonde_no_such_event").has_value());
}

TEST(KernelTypes, CSourceDefinesTheTypesAndTheirDependencies) {
  std::string c = KernelTypes::get().c_source({"struct path", "u64", "TASK_COMM_LEN"});
  EXPECT_NE(c.find("struct path {"), std::string::npos) << c;
  EXPECT_NE(c.find("struct dentry;"), std::string::npos) << c;
  EXPECT_NE(c.find("typedef __u64 u64;"), std::string::npos) << c;
  EXPECT_NE(c.find("TASK_COMM_LEN = 16"), std::string::npos) << c;
  EXPECT_EQ(KernelTypes::get().c_source({"struct sonde_no_such_struct"}), "");
}

TEST(KernelTypes, MissingBtfIsAnError) {
  KernelTypes kernel("/nonexistent");
  EXPECT_FALSE(kernel.available());
  EXPECT_NE(kernel.error().find("/nonexistent/vmlinux"), std::string::npos);
  EXPECT_EQ(kernel.find_type("struct task_struct"), nullptr);
}

} // namespace
} // namespace sonde::types
