// pt_regs offsets against glibc's user_regs_struct, which has pt_regs's
// layout on x86-64.

#include "common/registers.h"

#include <cstddef>
#include <gtest/gtest.h>
#include <sys/user.h>

namespace sonde {
namespace {

#if defined(__x86_64__)
TEST(Registers, OffsetsMatchUserRegsStruct) {
  struct Expected {
    const char *field;
    size_t offset;
  };
  for (Expected expected : {
           Expected{"r15", offsetof(user_regs_struct, r15)},
           Expected{"r12", offsetof(user_regs_struct, r12)},
           Expected{"bp", offsetof(user_regs_struct, rbp)},
           Expected{"bx", offsetof(user_regs_struct, rbx)},
           Expected{"r9", offsetof(user_regs_struct, r9)},
           Expected{"r8", offsetof(user_regs_struct, r8)},
           Expected{"ax", offsetof(user_regs_struct, rax)},
           Expected{"cx", offsetof(user_regs_struct, rcx)},
           Expected{"dx", offsetof(user_regs_struct, rdx)},
           Expected{"si", offsetof(user_regs_struct, rsi)},
           Expected{"di", offsetof(user_regs_struct, rdi)},
           Expected{"orig_ax", offsetof(user_regs_struct, orig_rax)},
           Expected{"ip", offsetof(user_regs_struct, rip)},
           Expected{"cs", offsetof(user_regs_struct, cs)},
           Expected{"flags", offsetof(user_regs_struct, eflags)},
           Expected{"sp", offsetof(user_regs_struct, rsp)},
           Expected{"ss", offsetof(user_regs_struct, ss)},
       }) {
    const PtRegsRegister *reg = find_pt_regs_field(expected.field);
    ASSERT_NE(reg, nullptr) << expected.field;
    EXPECT_EQ(reg->offset, expected.offset) << expected.field;
  }
}
#endif

TEST(Registers, EveryNameOfARegister) {
  for (const char *name : {"rax", "eax", "ax", "al"})
    EXPECT_EQ(find_register(name)->name, "rax") << name;
  EXPECT_EQ(find_register("r10d")->name, "r10");
  EXPECT_EQ(find_register("sil")->name, "rsi");
  EXPECT_EQ(find_register("xmm0"), nullptr);
  EXPECT_EQ(find_register("orig_ax"), nullptr);
  EXPECT_EQ(find_pt_regs_field("rax"), nullptr);
}

TEST(Registers, ArgumentsAndReturnValue) {
  const char *expected[] = {"rdi", "rsi", "rdx", "rcx", "r8", "r9"};
  for (size_t i = 0; i < kArgumentRegisterCount; i++)
    EXPECT_EQ(argument_register(i)->name, expected[i]);
  EXPECT_EQ(argument_register(kArgumentRegisterCount), nullptr);
  EXPECT_EQ(return_register().name, "rax");
  EXPECT_EQ(instruction_pointer().name, "rip");
  EXPECT_EQ(stack_pointer().name, "rsp");
  EXPECT_EQ(syscall_number_register().field, "orig_ax");
}

} // namespace
} // namespace sonde
