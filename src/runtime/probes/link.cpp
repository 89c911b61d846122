#include "runtime/probes/link.h"

#include <bpf/libbpf.h>
#include <unistd.h>
#include <utility>

namespace sonde::probes {

Link Link::from_fd(int fd) {
  Link link;
  link.fd_ = fd;
  return link;
}

Link Link::from_detach(std::function<void()> detach) {
  Link link;
  link.detach_ = std::move(detach);
  return link;
}

Link::Link(Link &&other) noexcept
    : link_(std::exchange(other.link_, nullptr)), fd_(std::exchange(other.fd_, -1)),
      detach_(std::exchange(other.detach_, nullptr)) {}

Link &Link::operator=(Link &&other) noexcept {
  if (this != &other) {
    reset();
    link_ = std::exchange(other.link_, nullptr);
    fd_ = std::exchange(other.fd_, -1);
    detach_ = std::exchange(other.detach_, nullptr);
  }
  return *this;
}

Link::~Link() { reset(); }

void Link::reset() {
  if (link_)
    bpf_link__destroy(std::exchange(link_, nullptr));
  if (fd_ >= 0)
    close(std::exchange(fd_, -1));
  if (detach_)
    std::exchange(detach_, nullptr)();
}

} // namespace sonde::probes
