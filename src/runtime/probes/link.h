#pragma once

// One attachment of a program to an event. Destroying the Link detaches it.

#include <functional>

struct bpf_link;

namespace sonde::probes {

class Link {
public:
  // Owns a libbpf link.
  explicit Link(bpf_link *link) : link_(link) {}
  // Owns a bare link file descriptor (attachments libbpf 1.1 cannot make).
  static Link from_fd(int fd);
  // Detaches by calling `detach` (attachments made in userspace).
  static Link from_detach(std::function<void()> detach);

  Link(Link &&other) noexcept;
  Link &operator=(Link &&other) noexcept;
  Link(const Link &) = delete;
  Link &operator=(const Link &) = delete;
  ~Link();

  // Detaches now (unwatch()), as destroying it would.
  void detach() { reset(); }

private:
  Link() = default;
  void reset();

  bpf_link *link_ = nullptr;
  int fd_ = -1;
  std::function<void()> detach_;
};

} // namespace sonde::probes
