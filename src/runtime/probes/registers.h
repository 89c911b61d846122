#pragma once

// The registers a uprobe, kprobe or usdt program finds in its context,
// struct pt_regs (x86-64): where `arg0…arg5`, `retval`, `reg("name")` and
// usdt operands are.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sonde::probes {

struct PtRegsRegister {
  std::string_view name; // the 64-bit name: "rax", "r8", "rip"
  uint32_t offset = 0;   // in struct pt_regs
};

// A register by any of its names ("rax", "eax", "ax", "al"; "r8d"; "rip"),
// or nothing for an unknown name.
std::optional<PtRegsRegister> find_register(std::string_view name);

// Where the function's `index`th integer argument is at entry (the SysV
// calling convention: rdi, rsi, rdx, rcx, r8, r9), or nothing past the
// sixth (those are on the stack).
std::optional<PtRegsRegister> argument_register(size_t index);

// Where the return value is at a return probe (rax).
PtRegsRegister return_register();

} // namespace sonde::probes
