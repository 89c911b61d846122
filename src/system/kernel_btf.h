#pragma once

// The kernel's BTF files (/sys/kernel/btf): vmlinux's, and each loaded
// module's split BTF on top of it. Each file is parsed once, on first use,
// and kept: sema's types, fentry and raw tracepoint probes and their listings
// all read the same copy.

#include "common/expected.h"

#include <cstdarg>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct btf;

namespace sonde::system {

class KernelBtf {
public:
  // The running kernel's, shared by the process.
  static KernelBtf &get();

  // The BTF files in `dir`: "vmlinux" and one per module, named after it.
  explicit KernelBtf(std::string dir) : dir_(std::move(dir)) {}
  ~KernelBtf();
  KernelBtf(const KernelBtf &) = delete;
  KernelBtf &operator=(const KernelBtf &) = delete;

  // The BTF of "vmlinux" or of a module. Types handed out point into it
  // for the life of this object.
  Expected<const btf *> load(const std::string &module);

  // The modules with BTF, "vmlinux" first, then the others by name; listed
  // on first use.
  const std::vector<std::string> &modules();

private:
  struct Free {
    void operator()(btf *types) const;
  };

  std::string dir_;
  std::map<std::string, std::unique_ptr<btf, Free>> loaded_;
  std::vector<std::string> modules_;
};

// A libbpf btf_dump printf callback: appends the text to the std::string
// that `out` points to.
void append_btf_dump_text(void *out, const char *format, va_list args);

} // namespace sonde::system
