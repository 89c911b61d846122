#include "common/registers.h"

namespace sonde {

namespace {

constexpr std::array kRegisters = {
    PtRegsRegister{"r15", "r15", {"r15d", "r15w", "r15b"}, 0},
    PtRegsRegister{"r14", "r14", {"r14d", "r14w", "r14b"}, 8},
    PtRegsRegister{"r13", "r13", {"r13d", "r13w", "r13b"}, 16},
    PtRegsRegister{"r12", "r12", {"r12d", "r12w", "r12b"}, 24},
    PtRegsRegister{"bp", "rbp", {"ebp", "bp", "bpl"}, 32},
    PtRegsRegister{"bx", "rbx", {"ebx", "bx", "bl"}, 40},
    PtRegsRegister{"r11", "r11", {"r11d", "r11w", "r11b"}, 48},
    PtRegsRegister{"r10", "r10", {"r10d", "r10w", "r10b"}, 56},
    PtRegsRegister{"r9", "r9", {"r9d", "r9w", "r9b"}, 64},
    PtRegsRegister{"r8", "r8", {"r8d", "r8w", "r8b"}, 72},
    PtRegsRegister{"ax", "rax", {"eax", "ax", "al"}, 80},
    PtRegsRegister{"cx", "rcx", {"ecx", "cx", "cl"}, 88},
    PtRegsRegister{"dx", "rdx", {"edx", "dx", "dl"}, 96},
    PtRegsRegister{"si", "rsi", {"esi", "si", "sil"}, 104},
    PtRegsRegister{"di", "rdi", {"edi", "di", "dil"}, 112},
    // The syscall number on syscall entry; -1 outside syscalls.
    PtRegsRegister{"orig_ax", "", {}, 120},
    PtRegsRegister{"ip", "rip", {"eip", "ip", ""}, 128},
    PtRegsRegister{"cs", "", {}, 136},
    PtRegsRegister{"flags", "", {}, 144},
    PtRegsRegister{"sp", "rsp", {"esp", "sp", "spl"}, 152},
    PtRegsRegister{"ss", "", {}, 160},
};

constexpr std::array<std::string_view, kArgumentRegisterCount> kArgumentRegisters = {
    "di", "si", "dx", "cx", "r8", "r9"};

const PtRegsRegister &field(std::string_view name) { return *find_pt_regs_field(name); }

} // namespace

const PtRegsRegister *find_pt_regs_field(std::string_view field) {
  for (const PtRegsRegister &reg : kRegisters)
    if (reg.field == field)
      return &reg;
  return nullptr;
}

const PtRegsRegister *find_register(std::string_view name) {
  if (name.empty())
    return nullptr;
  for (const PtRegsRegister &reg : kRegisters) {
    if (reg.name == name)
      return &reg;
    for (std::string_view narrower : reg.narrower)
      if (narrower == name)
        return &reg;
  }
  return nullptr;
}

const PtRegsRegister *argument_register(size_t index) {
  return index < kArgumentRegisters.size() ? &field(kArgumentRegisters[index]) : nullptr;
}

const PtRegsRegister &return_register() { return field("ax"); }
const PtRegsRegister &instruction_pointer() { return field("ip"); }
const PtRegsRegister &stack_pointer() { return field("sp"); }
const PtRegsRegister &syscall_number_register() { return field("orig_ax"); }

} // namespace sonde
