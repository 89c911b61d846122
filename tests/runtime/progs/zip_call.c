// zip_call ARCHIVE OFFSET N: maps the shared library stored at OFFSET (a
// page boundary) in the ZIP archive, as Android maps libraries from APKs,
// and calls its probe_lib_scale(1 .. N), printing each result.
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

// The file offset of a dynamic symbol's code in the mapped library.
static long code_offset(const unsigned char *image, const char *name) {
  const Elf64_Ehdr *header = (const Elf64_Ehdr *)image;
  const Elf64_Shdr *sections = (const Elf64_Shdr *)(image + header->e_shoff);
  const Elf64_Phdr *segments = (const Elf64_Phdr *)(image + header->e_phoff);
  for (int i = 0; i < header->e_shnum; i++) {
    if (sections[i].sh_type != SHT_DYNSYM)
      continue;
    const Elf64_Sym *symbols = (const Elf64_Sym *)(image + sections[i].sh_offset);
    const char *names = (const char *)(image + sections[sections[i].sh_link].sh_offset);
    for (size_t s = 0; s < sections[i].sh_size / sizeof(Elf64_Sym); s++) {
      if (strcmp(names + symbols[s].st_name, name) != 0)
        continue;
      for (int p = 0; p < header->e_phnum; p++)
        if (segments[p].p_type == PT_LOAD && symbols[s].st_value >= segments[p].p_vaddr &&
            symbols[s].st_value < segments[p].p_vaddr + segments[p].p_filesz)
          return (long)(symbols[s].st_value - segments[p].p_vaddr + segments[p].p_offset);
    }
  }
  return -1;
}

int main(int argc, char **argv) {
  if (argc < 4)
    return 2;
  int fd = open(argv[1], O_RDONLY);
  struct stat status;
  if (fd < 0 || fstat(fd, &status) != 0)
    return 1;
  long offset = strtol(argv[2], NULL, 10);
  size_t size = (size_t)(status.st_size - offset);
  unsigned char *image = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, offset);
  if (image == MAP_FAILED)
    return 1;
  long function = code_offset(image, "probe_lib_scale");
  if (function < 0)
    return 1;
  int (*scale)(int) = (int (*)(int))(image + function);
  for (int i = 1; i <= atoi(argv[3]); i++)
    printf("scale %d\n", scale(i));
  return 0;
}
