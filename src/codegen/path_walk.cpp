// path() outside fentry/fexit: the kernel's bpf_d_path is only allowed there,
// so the path is rebuilt by walking the dentry chain up to the root, crossing
// mount points, as d_path does. Every loop is unrolled so that each offset the
// verifier checks is a constant or masked.
#include "codegen/program_codegen.h"

namespace sonde::codegen {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

constexpr uint64_t kMaxComponents = 32; // deeper paths keep their last 32 parts
constexpr uint64_t kNameMax = 256;      // NAME_MAX + 1

uint64_t field_offset(sema::TypeLookup &types, const std::string &type, const std::string &field) {
  auto t = types.find(type);
  if (t)
    for (const auto &f : t->fields)
      if (f.name == field)
        return f.offset;
  throw std::runtime_error("path(): the kernel's BTF has no " + type + "." + field);
}

} // namespace

CgValue ProgramCodegen::walk_path(llvm::Value *path, const TypePtr &result_type) {
  auto &types = script_.program.types;
  const uint64_t path_mnt = field_offset(types, "struct path", "mnt");
  const uint64_t path_dentry = field_offset(types, "struct path", "dentry");
  const uint64_t d_parent = field_offset(types, "struct dentry", "d_parent");
  const uint64_t d_name = field_offset(types, "struct dentry", "d_name");
  const uint64_t qstr_name = field_offset(types, "struct qstr", "name");
  const uint64_t mnt_root = field_offset(types, "struct vfsmount", "mnt_root");
  const uint64_t mnt_parent = field_offset(types, "struct mount", "mnt_parent");
  const uint64_t mnt_mountpoint = field_offset(types, "struct mount", "mnt_mountpoint");
  const uint64_t mount_mnt = field_offset(types, "struct mount", "mnt");

  auto *i64 = b_.getInt64Ty();
  auto *word = slot(8);
  auto read_word = [&](llvm::Value *address) {
    read_memory(word, 8, address, false);
    return b_.CreateLoad(i64, word);
  };
  auto at = [&](llvm::Value *base, uint64_t offset) {
    return b_.CreateAdd(base, b_.getInt64(offset));
  };

  // Walk up: names[i] is the i-th component's name pointer, leaf first.
  auto *names = slot(8 * kMaxComponents);
  auto *count = slot(8);
  auto *dentry_slot = slot(8);
  auto *vfsmount_slot = slot(8);
  b_.CreateStore(b_.getInt64(0), count);
  b_.CreateStore(read_word(at(path, path_dentry)), dentry_slot);
  b_.CreateStore(read_word(at(path, path_mnt)), vfsmount_slot);
  auto *walked = new_block("path_walked");
  for (uint64_t i = 0; i < kMaxComponents; i++) {
    auto *dentry = b_.CreateLoad(i64, dentry_slot);
    auto *vfsmount = b_.CreateLoad(i64, vfsmount_slot);
    auto *at_mount_root = b_.CreateICmpEQ(dentry, read_word(at(vfsmount, mnt_root)));
    auto *cross = new_block("path_cross_mount");
    auto *step = new_block("path_step");
    auto *next = new_block("path_next");
    b_.CreateCondBr(at_mount_root, cross, step);

    // At the root of a mount: continue from where it is mounted, unless it
    // is the root mount.
    b_.SetInsertPoint(cross);
    auto *mount = b_.CreateSub(vfsmount, b_.getInt64(mount_mnt));
    auto *parent_mount = read_word(at(mount, mnt_parent));
    auto *mounted = new_block("path_mounted");
    b_.CreateCondBr(b_.CreateICmpEQ(parent_mount, mount), walked, mounted);
    b_.SetInsertPoint(mounted);
    b_.CreateStore(read_word(at(mount, mnt_mountpoint)), dentry_slot);
    b_.CreateStore(at(parent_mount, mount_mnt), vfsmount_slot);
    b_.CreateBr(next);

    b_.SetInsertPoint(step);
    auto *parent = read_word(at(dentry, d_parent));
    auto *record = new_block("path_record");
    b_.CreateCondBr(b_.CreateICmpEQ(parent, dentry), walked, record);
    b_.SetInsertPoint(record);
    auto *n = b_.CreateLoad(i64, count);
    auto *name = read_word(at(dentry, d_name + qstr_name));
    b_.CreateStore(name, b_.CreateInBoundsGEP(i64, names, b_.CreateAnd(n, kMaxComponents - 1)));
    b_.CreateStore(b_.CreateAdd(n, b_.getInt64(1)), count);
    b_.CreateStore(parent, dentry_slot);
    b_.CreateBr(next);

    b_.SetInsertPoint(next);
  }
  b_.CreateBr(walked);
  b_.SetInsertPoint(walked);

  // Write down: "/" and each name, root side first.
  uint64_t size = result_type->size;
  auto *out = slot(size + kNameMax);
  zero(out, size + kNameMax);
  auto *pos = slot(8);
  b_.CreateStore(b_.getInt64(0), pos);
  auto *written = new_block("path_written");
  auto *total = b_.CreateLoad(i64, count);
  for (uint64_t j = 0; j < kMaxComponents; j++) {
    auto *more = new_block("path_write");
    b_.CreateCondBr(b_.CreateICmpULT(b_.getInt64(j), total), more, written);
    b_.SetInsertPoint(more);
    auto *p = opaque(b_.CreateLoad(i64, pos));
    auto *fits = new_block("path_fits");
    b_.CreateCondBr(b_.CreateICmpULT(p, b_.getInt64(size - 1)), fits, written);
    b_.SetInsertPoint(fits);
    b_.CreateStore(b_.getInt8('/'), b_.CreateInBoundsGEP(b_.getInt8Ty(), out, p));
    auto *index = b_.CreateAnd(b_.CreateSub(total, b_.getInt64(j + 1)), kMaxComponents - 1);
    auto *name = b_.CreateLoad(i64, b_.CreateInBoundsGEP(i64, names, index));
    auto *dst = b_.CreateInBoundsGEP(b_.getInt8Ty(), out, b_.CreateAdd(p, b_.getInt64(1)));
    auto *copied = h_.call(Helper::ProbeReadKernelStr, {dst, b_.getInt64(kNameMax), name});
    // The helper counts the NUL; a failed read adds nothing.
    auto *grown = b_.CreateSelect(b_.CreateICmpSGT(copied, b_.getInt64(0)),
                                  b_.CreateSub(copied, b_.getInt64(1)), b_.getInt64(0));
    b_.CreateStore(b_.CreateAdd(p, b_.CreateAdd(grown, b_.getInt64(1))), pos);
  }
  b_.CreateBr(written);
  b_.SetInsertPoint(written);

  // The root itself is "/"; the part past the string's size is cut off.
  auto *empty = b_.CreateICmpEQ(b_.CreateLoad(i64, pos), b_.getInt64(0));
  if_then(empty, [&] { b_.CreateStore(b_.getInt8('/'), out); });
  auto *result = slot(size);
  copy(result, out, size);
  b_.CreateStore(b_.getInt8(0), byte_ptr(result, size - 1));
  auto *end = opaque(b_.CreateLoad(i64, pos));
  if_then(b_.CreateICmpULT(end, b_.getInt64(size)), [&] {
    b_.CreateStore(b_.getInt8(0), b_.CreateInBoundsGEP(b_.getInt8Ty(), result, end));
  });
  return {result, result_type};
}

} // namespace sonde::codegen
