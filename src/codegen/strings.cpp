// Lowering of str, strncmp, strcontains and strstr (string_search.cpp),
// strlen, strcap and memcmp.
#include "codegen/lowerings.h"

namespace sonde::codegen {

using types::Kind;

void ProgramCodegen::register_string_lowerings(LoweringTable &table) {
  table.functions["str"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto &b = cg.b_;
    if (node.args[0]->type->kind == Kind::ProbeName)
      return cg.probe_name_text(node.type);
    auto v = cg.gen(*node.args[0]);
    uint64_t size = node.type->size;
    // A string longer than max_strlen is read one byte further, past the
    // value's end: its bytes then hold no NUL and it prints with a `..`.
    bool mark_truncation = node.args.size() == 1;
    auto *dst = cg.slot(size + (mark_truncation ? 8 : 0));
    cg.zero(dst, size);
    if (v.type->kind == Kind::String) {
      cg.copy(dst, v.value, std::min(size - 1, v.type->size));
    } else {
      llvm::Value *limit = b.getInt64(mark_truncation ? size + 1 : size);
      if (node.args.size() == 2 && !dynamic_cast<ast::IntegerLiteral *>(node.args[1].get())) {
        // A run-time length: read at most that many bytes, within the buffer.
        auto *n = cg.to_i64(cg.gen(*node.args[1]));
        auto *fits = b.CreateICmpULT(n, b.getInt64(size));
        limit = b.CreateSelect(fits, n, b.getInt64(size));
      }
      bool user = cg.user_address(*v.type);
      bool by_address = !user && cg.probe_.kind->reads_by_address;
      auto *read = cg.h_.call(user         ? Helper::ProbeReadUserStr
                              : by_address ? Helper::ProbeReadStr
                                           : Helper::ProbeReadKernelStr,
                              {dst, limit, cg.to_i64(v)});
      cg.check_helper(user         ? "probe_read_user_str"
                      : by_address ? "probe_read_str"
                                   : "probe_read_kernel_str",
                      read);
    }
    return CgValue{dst, node.type};
  };

  table.functions["strcontains"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto haystack = cg.gen(*node.args[0]);
    auto needle = cg.gen(*node.args[1]);
    // A literal needle is only as long as its text: fewer steps to verify.
    uint64_t needle_size = needle.type->size;
    if (auto *lit = dynamic_cast<ast::StringLiteral *>(node.args[1].get()))
      needle_size = lit->value.size() + 1;
    return CgValue{cg.string_contains(haystack, needle, needle_size), node.type};
  };

  table.functions["strstr"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto haystack = cg.gen(*node.args[0]);
    auto needle = cg.gen(*node.args[1]);
    uint64_t needle_size = needle.type->size;
    if (auto *lit = dynamic_cast<ast::StringLiteral *>(node.args[1].get()))
      needle_size = lit->value.size() + 1;
    llvm::Value *index = nullptr;
    cg.string_contains(haystack, needle, needle_size, &index);
    return CgValue{index, node.type};
  };

  // The NUL-terminated length, as the string-reading helper counts it.
  auto string_length = [](ProgramCodegen &cg, const CgValue &v) {
    auto &b = cg.b_;
    bool in_program = v.type->kind != Kind::Pointer;
    uint64_t size = in_program ? v.type->size + 1 : cg.script_.program.config.max_strlen;
    auto *dst = cg.slot(size);
    bool user = !in_program && cg.user_address(*v.type);
    auto *address = in_program ? b.CreatePtrToInt(v.value, b.getInt64Ty()) : cg.to_i64(v);
    auto *copied = cg.h_.call(user ? Helper::ProbeReadUserStr : Helper::ProbeReadKernelStr,
                              {dst, b.getInt64(size), address});
    auto *positive = b.CreateICmpSGT(copied, b.getInt64(0));
    return b.CreateSelect(positive, b.CreateSub(copied, b.getInt64(1)), b.getInt64(0));
  };
  table.functions["strlen"] = [string_length](ProgramCodegen &cg, ast::Call &node) {
    return CgValue{string_length(cg, cg.gen(*node.args[0])), node.type};
  };
  // What a string or array can hold; a pointer's string holds its length.
  table.functions["strcap"] = [string_length](ProgramCodegen &cg, ast::Call &node) {
    auto v = cg.gen(*node.args[0]);
    if (v.type->kind == Kind::String)
      return CgValue{cg.b_.getInt64(v.type->size - 1), node.type};
    if (v.type->kind == Kind::Array)
      return CgValue{cg.b_.getInt64(v.type->count), node.type};
    return CgValue{string_length(cg, v), node.type};
  };

  // The difference of the first differing bytes, 0 when none differ.
  table.functions["memcmp"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto &b = cg.b_;
    auto left = cg.gen(*node.args[0]);
    auto right = cg.gen(*node.args[1]);
    auto *l = cg.to_memory(left, *left.type);
    auto *r = cg.to_memory(right, *right.type);
    llvm::Value *result = b.getInt64(0);
    for (uint64_t i = static_cast<uint64_t>(literal_int(*node.args[2])); i-- > 0;) {
      auto *lc = b.CreateZExt(b.CreateLoad(b.getInt8Ty(), cg.byte_ptr(l, i)), b.getInt64Ty());
      auto *rc = b.CreateZExt(b.CreateLoad(b.getInt8Ty(), cg.byte_ptr(r, i)), b.getInt64Ty());
      result = b.CreateSelect(b.CreateICmpNE(lc, rc), b.CreateSub(lc, rc), result);
    }
    return CgValue{result, node.type};
  };

  table.functions["strncmp"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto a = cg.gen(*node.args[0]);
    auto b = cg.gen(*node.args[1]);
    uint64_t n = std::min<uint64_t>(
        {static_cast<uint64_t>(literal_int(*node.args[2])), a.type->size, b.type->size});
    // 0 when the first n bytes match (up to a shared NUL), else 1.
    auto *equal = cg.prefix_equal(a.value, b.value, n, nullptr);
    return CgValue{cg.b_.CreateXor(equal, cg.b_.getInt64(1)), node.type};
  };
}

} // namespace sonde::codegen
