// libprobe_lib.so: a shared library function for uprobes on libraries.
#include "probe_lib.h"

__attribute__((noinline)) int probe_lib_scale(int x) {
  __asm__ volatile("");
  return x * 3;
}
