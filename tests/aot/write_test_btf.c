// Writes a BTF file whose struct task_struct has pid, tgid and comm at other
// offsets than any kernel's: pid at 8, tgid at 12, comm at 16.
// Usage: write_test_btf FILE

#include <bpf/btf.h>

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: write_test_btf FILE\n");
    return 2;
  }
  struct btf *btf = btf__new_empty();
  if (!btf)
    return 1;
  int int_type = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
  int char_type = btf__add_int(btf, "char", 1, BTF_INT_CHAR);
  int index_type = btf__add_int(btf, "unsigned int", 4, 0);
  int comm_type = btf__add_array(btf, index_type, char_type, 16);
  int task = btf__add_struct(btf, "task_struct", 32);
  if (int_type < 0 || char_type < 0 || comm_type < 0 || task < 0 ||
      btf__add_field(btf, "pid", int_type, 8 * 8, 0) < 0 ||
      btf__add_field(btf, "tgid", int_type, 12 * 8, 0) < 0 ||
      btf__add_field(btf, "comm", comm_type, 16 * 8, 0) < 0)
    return 1;
  unsigned int size = 0;
  const void *data = btf__raw_data(btf, &size);
  FILE *out = fopen(argv[1], "wb");
  if (!data || !out || fwrite(data, 1, size, out) != size || fclose(out) != 0) {
    perror(argv[1]);
    return 1;
  }
  btf__free(btf);
  return 0;
}
