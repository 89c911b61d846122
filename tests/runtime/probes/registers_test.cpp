// pt_regs offsets against glibc's user_regs_struct, which has pt_regs's
// layout on x86-64.

#include "runtime/probes/registers.h"

#include <cstddef>
#include <gtest/gtest.h>
#include <sys/user.h>

namespace sonde::probes {
namespace {

#if defined(__x86_64__)
TEST(Registers, OffsetsMatchUserRegsStruct) {
  struct Expected {
    const char *name;
    size_t offset;
  };
  for (Expected expected : {
           Expected{"r15", offsetof(user_regs_struct, r15)},
           Expected{"r12", offsetof(user_regs_struct, r12)},
           Expected{"rbp", offsetof(user_regs_struct, rbp)},
           Expected{"rbx", offsetof(user_regs_struct, rbx)},
           Expected{"r9", offsetof(user_regs_struct, r9)},
           Expected{"r8", offsetof(user_regs_struct, r8)},
           Expected{"rax", offsetof(user_regs_struct, rax)},
           Expected{"rcx", offsetof(user_regs_struct, rcx)},
           Expected{"rdx", offsetof(user_regs_struct, rdx)},
           Expected{"rsi", offsetof(user_regs_struct, rsi)},
           Expected{"rdi", offsetof(user_regs_struct, rdi)},
           Expected{"rip", offsetof(user_regs_struct, rip)},
           Expected{"rsp", offsetof(user_regs_struct, rsp)},
       }) {
    auto reg = find_register(expected.name);
    ASSERT_TRUE(reg.has_value()) << expected.name;
    EXPECT_EQ(reg->offset, expected.offset) << expected.name;
  }
}
#endif

TEST(Registers, EveryNameOfARegister) {
  for (const char *name : {"rax", "eax", "ax", "al"})
    EXPECT_EQ(find_register(name)->name, "rax") << name;
  EXPECT_EQ(find_register("r10d")->name, "r10");
  EXPECT_EQ(find_register("sil")->name, "rsi");
  EXPECT_FALSE(find_register("xmm0").has_value());
}

TEST(Registers, ArgumentsAndReturnValue) {
  const char *expected[] = {"rdi", "rsi", "rdx", "rcx", "r8", "r9"};
  for (size_t i = 0; i < 6; i++)
    EXPECT_EQ(argument_register(i)->name, expected[i]);
  EXPECT_FALSE(argument_register(6).has_value());
  EXPECT_EQ(return_register().name, "rax");
}

} // namespace
} // namespace sonde::probes
