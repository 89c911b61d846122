// probe_target N [wait]: a target for uprobes, uretprobes, usdt probes and
// watchpoints. Each of N rounds
// - calls sonde_add(i, 2), the same through the mangled C++ name
//   _ZN5sonde8functionEl, probe_lib_scale(i) in libprobe_lib.so, and
//   sonde_locked (whose first instruction uprobes cannot be placed on),
//   sonde_describe(&point, 'x', &i) (a struct pointer, a char and an int
//   pointer, for `args` from the debug info);
// - fires usdt probes sonde:loop (i, -i), sonde:memory ((short)-i, read from
//   the stack), sonde:twice (two sites, passing the constants 1 and 2) and
//   sonde:guarded (i, only while its semaphore is set);
// - stores i into `sonde_watched`.
// With `wait`, prints "watch 0x<address of sonde_watched>" and waits for a
// line on stdin before the rounds. At the end prints "guarded <rounds in
// which the semaphore was set>".
#include "probe_target.h"
#include "probe_lib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sdt.h>

volatile long sonde_watched;

__attribute__((noinline)) int sonde_add(int a, int b) {
  __asm__ volatile("");
  return a + b;
}

// A function whose symbol is the mangled C++ name sonde::function(long).
__attribute__((noinline)) long sonde_function(long x) __asm__("_ZN5sonde8functionEl");
long sonde_function(long x) {
  __asm__ volatile("");
  return x + 1;
}

struct sonde_point {
  int x;
  long y;
  char label[8];
  int values[3];
  const char *name;
};

__attribute__((noinline)) long sonde_describe(struct sonde_point *point, char c, int *n) {
  __asm__ volatile("");
  return point->x + c + *n;
}

// A function whose first instruction (lock-prefixed) the kernel cannot
// place a uprobe on.
void sonde_locked(long *counter);
__asm__(".text\n"
        ".globl sonde_locked\n"
        ".type sonde_locked, @function\n"
        "sonde_locked:\n"
        "  lock incq (%rdi)\n"
        "  ret\n"
        ".size sonde_locked, .-sonde_locked\n");

// Never called: a function starting with a breakpoint, where the kernel
// refuses uprobes too (unlike sonde_locked, sonde does not foresee it).
__asm__(".text\n"
        ".globl sonde_trap\n"
        ".type sonde_trap, @function\n"
        "sonde_trap:\n"
        "  int3\n"
        "  ret\n"
        ".size sonde_trap, .-sonde_trap\n");

int main(int argc, char **argv) {
  long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
  if (argc > 2 && strcmp(argv[2], "wait") == 0) {
    printf("watch %p\n", (void *)&sonde_watched);
    fflush(stdout);
    char line[16];
    if (!fgets(line, sizeof(line), stdin))
      return 1;
  }
  long guarded = 0;
  long total = 0;
  for (long i = 0; i < rounds; i++) {
    total += sonde_add((int)i, 2) + sonde_function(i) + probe_lib_scale((int)i);
    int n = (int)i + 13;
    struct sonde_point point = {(int)i + 123, -5, "hello", {1, 2, 3}, "point"};
    total += sonde_describe(&point, 'x', &n);
    STAP_PROBE2(sonde, loop, i, -i);
    volatile short on_stack = (short)-i;
    STAP_PROBE1(sonde, memory, on_stack);
    if (i % 2 == 0)
      STAP_PROBE1(sonde, twice, 1);
    else
      STAP_PROBE1(sonde, twice, 2);
    guarded += probe_target_guarded(i);
    sonde_locked(&total);
    sonde_watched = i;
  }
  printf("guarded %ld\n", guarded);
  return total == -1; // keeps the calls
}
