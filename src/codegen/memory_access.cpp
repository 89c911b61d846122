// Reads of C values in kernel or user memory: `p->field`, `(*p).a.b`,
// chains through embedded structs without copying them whole.
#include "codegen/program_codegen.h"

namespace sonde::codegen {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

const types::Field *find_field(const Type &record, const std::string &name) {
  for (const auto &f : record.fields)
    if (f.name == name)
      return &f;
  return nullptr;
}

constexpr const char *kTracepointRecordPrefix = "struct _tracepoint_";

// Relocatable: a field of a kernel struct that is not a bitfield, in a struct
// with a name or embedded in one. Not tracepoint records (the runner checks
// their layout) nor the script's own C definitions (their layout is the
// script's).
bool relocatable(const RemoteValue &base, const types::Field &field, sema::TypeLookup &types) {
  const Type &record = *base.type;
  if (base.user || field.bit_width || record.kind != Kind::Struct ||
      record.name.rfind(kTracepointRecordPrefix, 0) == 0)
    return false;
  if (base.core_pointer)
    return true;
  return !record.name.empty() && !types.defined_by_script(record.name);
}

} // namespace

std::optional<RemoteValue> ProgramCodegen::remote_address(ast::Expr &expr) {
  if (auto *field = dynamic_cast<ast::FieldAccess *>(&expr)) {
    const auto &base_type = field->base->type;
    std::optional<RemoteValue> base;
    if (base_type->kind == Kind::Pointer && base_type->element) {
      auto pointer = gen(*field->base);
      base = RemoteValue{to_i64(pointer), script_.program.types.resolve(base_type->element),
                         base_type->user_space};
    } else if (base_type->kind == Kind::Struct) {
      base = remote_address(*field->base);
    }
    if (!base)
      return std::nullopt;
    const types::Field *f = find_field(*base->type, field->field);
    if (!f)
      return std::nullopt;
    if (script_.options.core_relocations && relocatable(*base, *f, script_.program.types)) {
      llvm::Value *from = base->address;
      if (base->core_pointer) {
        // Only the chain may use the outer access, or it is relocated alone.
        if (auto *unused = llvm::dyn_cast<llvm::Instruction>(base->address);
            unused && unused->use_empty())
          unused->eraseFromParent();
        from = base->core_pointer;
      }
      auto *pointer = script_.module.core_field_address(b_, from, *base->type, *f);
      RemoteValue r{b_.CreatePtrToInt(pointer, b_.getInt64Ty()),
                    script_.program.types.resolve(f->type), false};
      r.core_pointer = pointer;
      return r;
    }
    RemoteValue r{b_.CreateAdd(base->address, b_.getInt64(f->offset)),
                  script_.program.types.resolve(f->type), base->user};
    r.bit_offset = f->bit_offset;
    r.bit_width = f->bit_width;
    return r;
  }
  if (auto *unary = dynamic_cast<ast::Unary *>(&expr); unary && unary->op == ast::UnaryOp::Deref) {
    const auto &pointer_type = unary->operand->type;
    if (pointer_type->kind != Kind::Pointer)
      return std::nullopt;
    auto pointer = gen(*unary->operand);
    return RemoteValue{to_i64(pointer), script_.program.types.resolve(pointer_type->element),
                       pointer_type->user_space};
  }
  return std::nullopt;
}

CgValue ProgramCodegen::read_remote(const RemoteValue &remote, const TypePtr &as) {
  uint64_t size = remote.type->size;
  if (size > 8 * 1024)
    throw std::runtime_error("cannot copy a " + std::to_string(size) + "-byte '" +
                             remote.type->display_name() + "' out of memory: read its fields");
  auto *dst = slot(std::max<uint64_t>(size, as->size));
  zero(dst, std::max<uint64_t>(size, as->size));
  read_memory(dst, size, remote.address, remote.user);
  if (remote.bit_width) {
    auto storage = load_from(dst, Type::integer(size, false));
    auto *shifted = b_.CreateLShr(to_i64(storage), b_.getInt64(remote.bit_offset));
    auto *mask =
        b_.getInt64(remote.bit_width >= 64 ? ~uint64_t{0} : (uint64_t{1} << remote.bit_width) - 1);
    return {b_.CreateAnd(shifted, mask), as};
  }
  return load_from(dst, as);
}

} // namespace sonde::codegen
