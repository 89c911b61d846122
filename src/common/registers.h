#pragma once

// The registers of x86-64 `struct pt_regs` (arch/x86/include/uapi/asm/
// ptrace.h), the context of kprobe, uprobe and usdt programs: the names
// reg() takes (sema), where arguments, the return value and the other
// registers are (codegen), and the registers usdt operands name (runtime).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sonde {

struct PtRegsRegister {
  std::string_view field; // its member of struct pt_regs, as reg() names it: "ax", "orig_ax"
  std::string_view name;  // its 64-bit assembly name ("rax"); empty when it has none
  std::array<std::string_view, 3> narrower; // its 32-, 16- and 8-bit assembly names
  uint32_t offset = 0;                      // in struct pt_regs
};

constexpr uint32_t kPtRegsSize = 21 * 8; // sizeof(struct pt_regs)

// A register by its struct pt_regs member name, or null.
const PtRegsRegister *find_pt_regs_field(std::string_view field);

// A register by any of its assembly names ("rax", "eax", "ax", "al";
// "r8d"; "rip"), or null.
const PtRegsRegister *find_register(std::string_view name);

// The first integer arguments of a function at its entry are in registers
// (System V: rdi, rsi, rdx, rcx, r8, r9), the rest on the stack above the
// return address.
constexpr size_t kArgumentRegisterCount = 6;
// The register of argument `index`, or null for the arguments on the stack.
const PtRegsRegister *argument_register(size_t index);

const PtRegsRegister &return_register();         // rax, at a function's return
const PtRegsRegister &instruction_pointer();     // rip
const PtRegsRegister &stack_pointer();           // rsp
const PtRegsRegister &syscall_number_register(); // orig_ax, in a syscall

} // namespace sonde
