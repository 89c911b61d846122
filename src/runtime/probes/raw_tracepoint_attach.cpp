#include "runtime/probes/raw_tracepoint_attach.h"

#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>
#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sonde::probes {

namespace {

// The raw_tracepoint member of union bpf_attr as of Linux 6.10, which added
// the cookie; the uapi headers of Debian 12 predate it.
struct RawTracepointOpenAttr {
  uint64_t name;
  uint32_t prog_fd;
  uint32_t padding;
  uint64_t cookie;
};

} // namespace

Status attach_raw_tracepoint(bpf_program *program, const std::string &name, uint64_t cookie,
                             std::vector<Link> &links) {
  RawTracepointOpenAttr attr{};
  attr.name = reinterpret_cast<uint64_t>(name.c_str());
  attr.prog_fd = static_cast<uint32_t>(bpf_program__fd(program));
  attr.cookie = cookie;
  long fd = syscall(__NR_bpf, BPF_RAW_TRACEPOINT_OPEN, &attr, sizeof(attr));
  if (fd < 0) {
    std::string reason = std::strerror(errno);
    if (errno == E2BIG && cookie != 0)
      reason = "raw tracepoint cookies need Linux 6.10 or newer";
    return error("cannot attach raw tracepoint " + name + ": " + reason);
  }
  links.push_back(Link::from_fd(static_cast<int>(fd)));
  return {};
}

} // namespace sonde::probes
