// layout_target: calls sonde_layout(&layout, &layout.bits) once, with a
// struct that holds bitfields, a pointer to bytes, a pointer to a long and a
// struct ending in a flexible array member, for reads of those from uprobes.
#include <stdlib.h>
#include <string.h>

struct sonde_bits {
  unsigned int a : 4, b : 8, c : 3, d : 1, e : 16;
  short f : 4, g : 8, h : 3, i : 1;
  int j : 9, k : 15, l : 1, m : 2, n : 5;
};

struct sonde_flex {
  int n;
  char data[];
};

struct sonde_layout {
  struct sonde_bits bits;
  const char *bytes;
  long *value;
  struct sonde_flex *flex;
};

__attribute__((noinline)) long sonde_layout(struct sonde_layout *layout, struct sonde_bits *bits) {
  __asm__ volatile("");
  return *layout->value + bits->a;
}

int main(void) {
  static const char bytes[] = {'a', 'b', 0, 1, (char)0xff, 'z'};
  long value = -42;
  struct sonde_flex *flex = malloc(sizeof(*flex) + 4);
  flex->n = 4;
  memcpy(flex->data, "wxyz", 4);
  struct sonde_layout layout = {
      .bits = {1, 2, 5, 0, 65535, 1, -39, 5, 1, 500, 31117, 1, 2, 27},
      .bytes = bytes,
      .value = &value,
      .flex = flex,
  };
  long total = sonde_layout(&layout, &layout.bits);
  free(flex);
  return total == 0;
}
