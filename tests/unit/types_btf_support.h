#pragma once

// Helpers for the BTF reader tests: a temporary BTF directory laid out like
// /sys/kernel/btf, and field lookup by name.

#include "types/type.h"

#include <bpf/btf.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>

namespace sonde::types::testing {

class BtfDir {
public:
  BtfDir() {
    char pattern[] = "/tmp/sonde-btf-XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~BtfDir() { std::filesystem::remove_all(path_); }
  BtfDir(const BtfDir &) = delete;
  BtfDir &operator=(const BtfDir &) = delete;

  const std::string &path() const { return path_; }

  // Writes `types` in the raw format of /sys/kernel/btf/<file>.
  void write(const std::string &file, const btf *types) const {
    uint32_t size = 0;
    const void *data = btf__raw_data(types, &size);
    std::ofstream(path_ + "/" + file, std::ios::binary)
        .write(static_cast<const char *>(data), size);
  }

  void link_kernel_vmlinux() const {
    std::filesystem::create_symlink("/sys/kernel/btf/vmlinux", path_ + "/vmlinux");
  }

private:
  std::string path_;
};

inline const Field *field(const Type &type, const std::string &name) {
  for (const Field &f : type.fields)
    if (f.name == name)
      return &f;
  ADD_FAILURE() << type.display_name() << " has no field " << name;
  return nullptr;
}

} // namespace sonde::types::testing
