#include "runtime/probes/registers.h"

#include <array>

namespace sonde::probes {

namespace {

struct Register {
  std::string_view name;                 // 64-bit name
  std::array<std::string_view, 3> views; // 32-, 16- and 8-bit names
  uint32_t offset;
};

// struct pt_regs of x86-64 (arch/x86/include/uapi/asm/ptrace.h).
constexpr std::array kRegisters = {
    Register{"r15", {"r15d", "r15w", "r15b"}, 0},  Register{"r14", {"r14d", "r14w", "r14b"}, 8},
    Register{"r13", {"r13d", "r13w", "r13b"}, 16}, Register{"r12", {"r12d", "r12w", "r12b"}, 24},
    Register{"rbp", {"ebp", "bp", "bpl"}, 32},     Register{"rbx", {"ebx", "bx", "bl"}, 40},
    Register{"r11", {"r11d", "r11w", "r11b"}, 48}, Register{"r10", {"r10d", "r10w", "r10b"}, 56},
    Register{"r9", {"r9d", "r9w", "r9b"}, 64},     Register{"r8", {"r8d", "r8w", "r8b"}, 72},
    Register{"rax", {"eax", "ax", "al"}, 80},      Register{"rcx", {"ecx", "cx", "cl"}, 88},
    Register{"rdx", {"edx", "dx", "dl"}, 96},      Register{"rsi", {"esi", "si", "sil"}, 104},
    Register{"rdi", {"edi", "di", "dil"}, 112},    Register{"rip", {"eip", "ip", ""}, 128},
    Register{"rsp", {"esp", "sp", "spl"}, 152},
};

constexpr std::array<std::string_view, 6> kArgumentRegisters = {"rdi", "rsi", "rdx",
                                                                "rcx", "r8",  "r9"};

} // namespace

std::optional<PtRegsRegister> find_register(std::string_view name) {
  for (const Register &reg : kRegisters) {
    if (reg.name == name)
      return PtRegsRegister{reg.name, reg.offset};
    for (std::string_view view : reg.views)
      if (!view.empty() && view == name)
        return PtRegsRegister{reg.name, reg.offset};
  }
  return std::nullopt;
}

std::optional<PtRegsRegister> argument_register(size_t index) {
  if (index >= kArgumentRegisters.size())
    return std::nullopt;
  return find_register(kArgumentRegisters[index]);
}

PtRegsRegister return_register() { return *find_register("rax"); }

} // namespace sonde::probes
