#include "system/kernel_btf.h"

#include <algorithm>
#include <bpf/btf.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace sonde::system {

KernelBtf &KernelBtf::get() {
  static KernelBtf kernel("/sys/kernel/btf");
  return kernel;
}

void KernelBtf::Free::operator()(btf *types) const { btf__free(types); }

KernelBtf::~KernelBtf() {
  // Modules' BTF refers to vmlinux's: free them first.
  auto vmlinux = loaded_.extract("vmlinux");
  loaded_.clear();
}

Expected<const btf *> KernelBtf::load(const std::string &module) {
  if (auto found = loaded_.find(module); found != loaded_.end())
    return static_cast<const btf *>(found->second.get());
  std::string path = dir_ + "/" + module;
  btf *types = nullptr;
  if (module == "vmlinux") {
    types = btf__parse(path.c_str(), nullptr);
  } else {
    auto base = load("vmlinux");
    if (!base)
      return error(base.error());
    types = btf__parse_split(path.c_str(), const_cast<btf *>(*base));
  }
  if (!types)
    return error("cannot read the kernel's BTF from " + path + ": " + std::strerror(errno));
  loaded_.emplace(module, types);
  return static_cast<const btf *>(types);
}

const std::vector<std::string> &KernelBtf::modules() {
  if (modules_.empty()) {
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(dir_, ec))
      if (entry.path().filename() != "vmlinux")
        modules_.push_back(entry.path().filename().string());
    std::sort(modules_.begin(), modules_.end());
    modules_.insert(modules_.begin(), "vmlinux");
  }
  return modules_;
}

void append_btf_dump_text(void *out, const char *format, va_list args) {
  va_list copy;
  va_copy(copy, args);
  int length = std::vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  if (length <= 0)
    return;
  auto &text = *static_cast<std::string *>(out);
  size_t start = text.size();
  text.resize(start + static_cast<size_t>(length) + 1);
  std::vsnprintf(text.data() + start, static_cast<size_t>(length) + 1, format, args);
  text.resize(start + static_cast<size_t>(length));
}

} // namespace sonde::system
