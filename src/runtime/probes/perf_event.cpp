#include "runtime/probes/perf_event.h"

#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <linux/perf_event.h>
#include <sstream>
#include <sys/syscall.h>
#include <unistd.h>

namespace sonde::probes {

namespace {

int perf_event_open(perf_event_attr &attr, pid_t pid, int cpu) {
  attr.size = sizeof(attr);
  return static_cast<int>(syscall(__NR_perf_event_open, &attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC));
}

perf_event_attr attr_of(const PerfEventSpec &spec) {
  perf_event_attr attr{};
  attr.type = spec.type;
  attr.config = spec.config;
  attr.freq = spec.frequency;
  attr.sample_period = spec.period; // shares a union with sample_freq
  return attr;
}

// Attaches the program to an open perf event, which the link then owns.
bpf_link *attach_to_event(bpf_program *program, int fd, uint64_t cookie) {
  LIBBPF_OPTS(bpf_perf_event_opts, opts, .bpf_cookie = cookie);
  bpf_link *link = bpf_program__attach_perf_event_opts(program, fd, &opts);
  if (!link) {
    int saved = errno;
    close(fd);
    errno = saved;
  }
  return link;
}

} // namespace

// The file holds ranges such as "0-3,5,7-8".
std::vector<int> online_cpus() {
  std::ifstream in("/sys/devices/system/cpu/online");
  std::string text;
  std::getline(in, text);
  std::vector<int> cpus;
  std::stringstream ranges(text);
  std::string range;
  while (std::getline(ranges, range, ',')) {
    int first = 0, last = 0;
    char dash = 0;
    std::stringstream parts(range);
    if (!(parts >> first))
      continue;
    last = parts >> dash >> last ? last : first;
    for (int cpu = first; cpu <= last; cpu++)
      cpus.push_back(cpu);
  }
  return cpus;
}

int perf_event_probe(const PerfEventSpec &spec) {
  std::vector<int> cpus = online_cpus();
  perf_event_attr attr = attr_of(spec);
  int fd = perf_event_open(attr, -1, cpus.empty() ? 0 : cpus.front());
  if (fd < 0)
    return errno;
  close(fd);
  return 0;
}

Status attach_perf_event(bpf_program *program, const PerfEventSpec &spec,
                         const std::vector<int> &cpus, uint64_t cookie, const std::string &what,
                         std::vector<Link> &links) {
  std::vector<Link> made;
  for (int cpu : cpus) {
    perf_event_attr attr = attr_of(spec);
    int fd = perf_event_open(attr, -1 /* any process */, cpu);
    if (fd < 0)
      return error("cannot open perf event for " + what + " on cpu " + std::to_string(cpu) + ": " +
                   std::strerror(errno));
    bpf_link *link = attach_to_event(program, fd, cookie);
    if (!link)
      return error("cannot attach " + what + " on cpu " + std::to_string(cpu) + ": " +
                   std::strerror(errno));
    made.emplace_back(link);
  }
  for (Link &link : made)
    links.push_back(std::move(link));
  return {};
}

Status attach_perf_event_to_process(bpf_program *program, perf_event_attr attr, pid_t pid,
                                    uint64_t cookie, const std::string &what,
                                    std::vector<Link> &links) {
  int fd = perf_event_open(attr, pid, -1 /* any cpu */);
  if (fd < 0)
    return error("cannot open perf event for " + what + " in process " + std::to_string(pid) +
                 ": " + std::strerror(errno));
  bpf_link *link = attach_to_event(program, fd, cookie);
  if (!link)
    return error("cannot attach " + what + ": " + std::strerror(errno));
  links.emplace_back(link);
  return {};
}

} // namespace sonde::probes
