// CO-RE field accesses: `llvm.preserve.struct.access.index` calls that the
// BPF backend's member-access pass turns into relocations (.BTF.ext), which
// libbpf resolves by struct and field name against the running kernel's BTF.
#include "codegen/bpf_module.h"

#include <llvm/IR/Intrinsics.h>

namespace sonde::codegen {

using types::Kind;

namespace {

// "struct task_struct" → "task_struct".
std::string tag_name(const std::string &c_name) {
  auto space = c_name.find(' ');
  return space == std::string::npos ? c_name : c_name.substr(space + 1);
}

} // namespace

// libbpf matches a field's type by kind only (integer, pointer, struct or
// union, enum by name, arrays by element): sizes and pointees can be left out.
llvm::DIType *BpfModule::core_member_type(const types::Type &type) {
  switch (type.kind) {
  case Kind::Pointer:
    return di_->createPointerType(nullptr, 64);
  case Kind::Struct:
    return core_struct(type).type;
  case Kind::Array: {
    auto *range = di_->getOrCreateSubrange(0, static_cast<int64_t>(type.count));
    return di_->createArrayType(type.size * 8, 0, core_member_type(*type.element),
                                di_->getOrCreateArray({range}));
  }
  default:
    break;
  }
  auto *integer = di_->createBasicType("int", std::max<uint64_t>(type.size, 1) * 8,
                                       type.is_signed ? llvm::dwarf::DW_ATE_signed
                                                      : llvm::dwarf::DW_ATE_unsigned);
  if (type.name.rfind("enum ", 0) == 0)
    return di_->createEnumerationType(unit_, tag_name(type.name), file_, 0, type.size * 8, 0,
                                      di_->getOrCreateArray({}), integer);
  return integer;
}

llvm::GlobalVariable *BpfModule::kernel_variable(const std::string &name,
                                                 const types::Type &type) {
  if (auto *existing = module_->getNamedGlobal(name)) {
    if (existing->getSection() != ".ksyms")
      throw std::runtime_error("the kernel variable '" + name +
                               "' has the name of one of sonde's own globals");
    return existing;
  }
  auto *variable = new llvm::GlobalVariable(*module_, llvm::Type::getInt8Ty(context_), false,
                                            llvm::GlobalValue::ExternalLinkage, nullptr, name);
  variable->setSection(".ksyms");
  variable->addDebugInfo(di_->createGlobalVariableExpression(
      unit_, name, name, file_, 0, core_member_type(type), false, false));
  return variable;
}

BpfModule::CoreStruct &BpfModule::core_struct(const types::Type &record) {
  // Anonymous structs (reached only through a named one) by identity. The
  // key is also the node's identifier, so that no two are merged as equal.
  std::string key = record.name.empty()
                        ? "anonymous@" + std::to_string(reinterpret_cast<uintptr_t>(&record))
                        : record.name;
  auto [it, added] = core_structs_.try_emplace(key);
  if (added) {
    std::string name = tag_name(record.name);
    auto elements = di_->getOrCreateArray({});
    it->second.type =
        record.is_union
            ? di_->createUnionType(unit_, name, file_, 0, record.size * 8, 0,
                                   llvm::DINode::FlagZero, elements, 0, key)
            : di_->createStructType(unit_, name, file_, 0, record.size * 8, 0,
                                    llvm::DINode::FlagZero, nullptr, elements, 0, nullptr, key);
  }
  return it->second;
}

llvm::Value *BpfModule::core_field_address(llvm::IRBuilder<> &b, llvm::Value *base,
                                           const types::Type &record, const types::Field &field) {
  CoreStruct &core = core_struct(record);
  auto [found, added] = core.index.try_emplace(field.name, core.members.size());
  if (added) {
    auto *member_type = core_member_type(*field.type);
    core.members.push_back(di_->createMemberType(core.type, field.name, file_, 0,
                                                 field.type->size * 8, 0, field.offset * 8,
                                                 llvm::DINode::FlagZero, member_type));
    di_->replaceArrays(core.type, di_->getOrCreateArray(core.members));
  }
  unsigned index = found->second;
  // The IR type only needs an element at `index`; the offset comes from the
  // debug info.
  auto *element = llvm::StructType::get(
      context_, std::vector<llvm::Type *>(index + 1, llvm::Type::getInt8Ty(context_)));
  if (!base->getType()->isPointerTy())
    base = b.CreateIntToPtr(base, b.getPtrTy());
  return b.CreatePreserveStructAccessIndex(element, base, index, index, core.type);
}

} // namespace sonde::codegen
