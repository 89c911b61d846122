// strcontains(): a substring search in bpf_loop callbacks. The verifier checks
// a callback's body for an unknown index, where it would follow a loop over
// positions one position (and, nested, one needle byte) at a time.
#include "codegen/program_codegen.h"

namespace sonde::codegen {

namespace {
// The callbacks' shared state: 8-byte fields of a block on the caller's stack.
enum Field : uint64_t { kHaystack, kNeedle, kStart, kFound, kFields };
constexpr uint64_t kStep = 8;
} // namespace

// Whether `needle` occurs in `haystack`, comparing up to the NUL of either;
// with `match_index`, also where it first does (-1 when it does not).
// The outer loop tries each start position whose byte is the needle's first;
// the inner one compares the rest of the needle there.
llvm::Value *ProgramCodegen::string_contains(const CgValue &haystack, const CgValue &needle,
                                             uint64_t needle_size, llvm::Value **match_index) {
  auto *i8 = b_.getInt8Ty();
  auto *i64 = b_.getInt64Ty();
  auto *ptr = llvm::PointerType::get(b_.getContext(), 0);
  auto h_size = b_.getInt64(haystack.type->size);
  auto field = [&](llvm::Value *block, Field f) {
    return b_.CreateConstInBoundsGEP1_64(i64, block, f);
  };
  // Ends the callback when `stop`, returning `result`.
  auto return_if = [&](llvm::Value *stop, uint64_t result) {
    auto *exit = new_block("exit");
    auto *next = new_block("next");
    b_.CreateCondBr(stop, exit, next);
    b_.SetInsertPoint(exit);
    b_.CreateRet(b_.getInt64(result));
    b_.SetInsertPoint(next);
  };

  // Compares needle[1 + j] with haystack[kStart + j], clearing kFound at the
  // first difference. None for a 1-byte needle: the verifier skips the
  // callback of a bpf_loop of 0 steps, and the kernel then fails to load the
  // program ("No program to jit").
  llvm::Function *compare = nullptr;
  if (needle_size > 1)
    compare = loop_callback("contains_at", [&](llvm::Value *j, llvm::Value *block) {
      auto *k = b_.CreateAdd(j, b_.getInt64(1));
      return_if(b_.CreateICmpUGE(k, b_.getInt64(needle_size)), 1);
      auto *n = b_.CreateLoad(ptr, field(block, kNeedle));
      auto *nc = b_.CreateLoad(i8, b_.CreateInBoundsGEP(i8, n, k));
      return_if(b_.CreateICmpEQ(nc, b_.getInt8(0)), 1);
      auto *pos = b_.CreateAdd(b_.CreateLoad(i64, field(block, kStart)), j);
      auto *differ = new_block("differ");
      auto *inside = new_block("inside");
      b_.CreateCondBr(b_.CreateICmpUGE(pos, h_size), differ, inside);
      b_.SetInsertPoint(inside);
      auto *h = b_.CreateLoad(ptr, field(block, kHaystack));
      auto *hc = b_.CreateLoad(i8, b_.CreateInBoundsGEP(i8, h, pos));
      return_if(b_.CreateICmpEQ(hc, nc), 0);
      b_.CreateBr(differ);
      b_.SetInsertPoint(differ);
      b_.CreateStore(b_.getInt64(0), field(block, kFound));
      b_.CreateRet(b_.getInt64(1));
    });

  // Tries kStep start positions per call (a call costs more than a position
  // does); stops at the haystack's NUL or a match (kFound is then 1).
  auto *search = loop_callback("contains", [&](llvm::Value *index, llvm::Value *block) {
    auto *h = b_.CreateLoad(ptr, field(block, kHaystack));
    auto *first = b_.CreateLoad(i8, b_.CreateLoad(ptr, field(block, kNeedle)));
    for (uint64_t step = 0; step < kStep; step++) {
      auto *i = b_.CreateAdd(b_.CreateMul(index, b_.getInt64(kStep)), b_.getInt64(step));
      return_if(b_.CreateICmpUGE(i, h_size), 1);
      auto *c = b_.CreateLoad(i8, b_.CreateInBoundsGEP(i8, h, i));
      return_if(b_.CreateICmpEQ(c, b_.getInt8(0)), 1);
      auto *candidate = new_block("candidate");
      auto *next = new_block("next_start");
      b_.CreateCondBr(b_.CreateICmpEQ(c, first), candidate, next);
      b_.SetInsertPoint(candidate);
      b_.CreateStore(b_.CreateAdd(i, b_.getInt64(1)), field(block, kStart));
      b_.CreateStore(b_.getInt64(1), field(block, kFound));
      if (!compare) {
        b_.CreateRet(b_.getInt64(1));
      } else {
        h_.call(Helper::Loop, {b_.getInt64(needle_size - 1), compare, block, b_.getInt64(0)});
        return_if(b_.CreateICmpNE(b_.CreateLoad(i64, field(block, kFound)), b_.getInt64(0)), 1);
        b_.CreateBr(next);
      }
      b_.SetInsertPoint(next);
    }
    b_.CreateRet(b_.getInt64(0));
  });

  auto *block = stack_slot(kFields * 8);
  b_.CreateStore(haystack.value, field(block, kHaystack));
  b_.CreateStore(b_.getInt64(1), field(block, kStart)); // an empty needle's match is at 0
  b_.CreateStore(needle.value, field(block, kNeedle));
  // An empty needle matches, even an empty haystack.
  auto *empty = b_.CreateICmpEQ(b_.CreateLoad(i8, needle.value), b_.getInt8(0));
  b_.CreateStore(b_.CreateZExt(empty, i64), field(block, kFound));
  if_then(b_.CreateNot(empty), [&] {
    uint64_t calls = (haystack.type->size + kStep - 1) / kStep;
    h_.call(Helper::Loop, {b_.getInt64(calls), search, block, b_.getInt64(0)});
  });
  auto *found = b_.CreateLoad(i64, field(block, kFound));
  if (match_index) {
    auto *start = b_.CreateSub(b_.CreateLoad(i64, field(block, kStart)), b_.getInt64(1));
    *match_index = b_.CreateSelect(b_.CreateICmpNE(found, b_.getInt64(0)), start,
                                   b_.getInt64(static_cast<uint64_t>(-1)));
  }
  return found;
}

} // namespace sonde::codegen
