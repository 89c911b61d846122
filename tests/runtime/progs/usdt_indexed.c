// usdt_indexed: fires usdt sonde:indexed (values[i], ints[i], bytes[i + 2])
// for i = 0..2, with the arguments left in memory, so that the notes
// describe them as base + index * scale + displacement:
// `-8@(%rdi,%rsi,8) -4@(%rdx,%rsi,4) -1@2(%rsi,%rcx)` with GCC (readelf -n).
#define STAP_SDT_ARG_CONSTRAINT m
#include <sys/sdt.h>

__attribute__((noinline)) void sonde_indexed(const long *values, long i, const int *ints,
                                             const char *bytes) {
  DTRACE_PROBE3(sonde, indexed, values[i], ints[i], bytes[i + 2]);
}

int main(void) {
  const long values[] = {10, 20, 30};
  const int ints[] = {-1, -2, -3};
  const char bytes[] = "abcde";
  for (long i = 0; i < 3; i++)
    sonde_indexed(values, i, ints, bytes);
  return 0;
}
