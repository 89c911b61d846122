#pragma once

// Internal to codegen: calls of BPF helper functions from IR.

#include <llvm/IR/IRBuilder.h>

namespace sonde::codegen {

// Helper ids of `enum bpf_func_id` that sonde calls.
enum class Helper : int {
  MapLookupElem = 1,
  MapUpdateElem = 2,
  MapDeleteElem = 3,
  ProbeRead = 4,
  KtimeGetNs = 5,
  GetPrandomU32 = 7,
  GetSmpProcessorId = 8,
  GetCurrentPidTgid = 14,
  GetCurrentUidGid = 15,
  GetCurrentComm = 16,
  GetCurrentTask = 35,
  GetNumaNodeId = 42,
  ProbeReadStr = 45,
  GetCurrentCgroupId = 80,
  ProbeReadUser = 112,
  ProbeReadKernel = 113,
  ProbeReadUserStr = 114,
  ProbeReadKernelStr = 115,
  Jiffies64 = 118,
  GetNsCurrentPidTgid = 120,
  RingbufOutput = 130,
  PerCpuPtr = 153,
  ThisCpuPtr = 154,
  KtimeGetBootNs = 125,
  GetFuncIp = 173,
  GetAttachCookie = 174,
  Loop = 181,
  KtimeGetTaiNs = 208,
};

class HelperCalls {
public:
  explicit HelperCalls(llvm::IRBuilder<> &b) : b_(b) {}

  // Calls helper `id` with i64/pointer arguments; returns its i64 result.
  llvm::Value *call(Helper id, std::initializer_list<llvm::Value *> args);
  llvm::Value *call_ptr(Helper id, std::initializer_list<llvm::Value *> args);

  llvm::Value *map_lookup(llvm::Value *map, llvm::Value *key) {
    return call_ptr(Helper::MapLookupElem, {map, key});
  }
  llvm::Value *map_update(llvm::Value *map, llvm::Value *key, llvm::Value *value, uint64_t flags) {
    return call(Helper::MapUpdateElem, {map, key, value, b_.getInt64(flags)});
  }
  llvm::Value *map_delete(llvm::Value *map, llvm::Value *key) {
    return call(Helper::MapDeleteElem, {map, key});
  }

private:
  llvm::Value *emit(Helper id, llvm::Type *result, std::initializer_list<llvm::Value *> args);
  llvm::IRBuilder<> &b_;
};

} // namespace sonde::codegen
