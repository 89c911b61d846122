#include "probes_test_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>

#include <csignal>
#include <fcntl.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace sonde::probes::testing {

std::string command_output(const std::string &command) {
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe)
    throw std::runtime_error("cannot run " + command);
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    output.append(buffer, n);
  pclose(pipe);
  return output;
}

std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    lines.push_back(line);
  return lines;
}

Target::Target(long rounds) {
  int to_child[2], from_child[2];
  // Close-on-exec, so that another target started later holds no copy
  // (which would keep this one's output open after it exited).
  if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe");
  std::string path = prog("probe_target");
  std::string count = std::to_string(rounds);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(to_child[0], 0);
    dup2(from_child[1], 1);
    close(to_child[0]);
    close(to_child[1]);
    close(from_child[0]);
    close(from_child[1]);
    execl(path.c_str(), path.c_str(), count.c_str(), "wait", static_cast<char *>(nullptr));
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  in_ = fdopen(to_child[1], "w");
  out_ = fdopen(from_child[0], "r");
  char line[64];
  unsigned long long address = 0;
  if (!fgets(line, sizeof(line), out_) || sscanf(line, "watch 0x%llx", &address) != 1)
    throw std::runtime_error("probe_target did not start");
  watched_ = address;
}

Target::~Target() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (in_)
    fclose(in_);
  if (out_)
    fclose(out_);
}

void Target::go() {
  fputs("go\n", in_);
  fflush(in_);
}

std::string Target::wait(int &status) {
  std::string output;
  char buffer[256];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), out_)) > 0)
    output.append(buffer, n);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return output;
}

AttachTarget target(const std::string &provider, std::vector<std::string> fields, uint64_t cookie) {
  AttachTarget t{provider, provider, std::move(fields), cookie};
  for (const std::string &field : t.fields)
    t.spec += ":" + field;
  return t;
}

BpfPrograms::BpfPrograms(const std::string &object_name)
    : object_(bpf_object__open_file(bpf_object_path(object_name).c_str(), nullptr)) {
  if (!object_)
    throw std::runtime_error("cannot open " + object_name);
}

BpfPrograms::~BpfPrograms() {
  links_.clear();
  bpf_object__close(object_);
}

Status BpfPrograms::load() {
  bpf_program *program;
  bpf_object__for_each_program(program, object_) bpf_program__set_autoload(program, false);
  for (const ProgramInfo &info : infos_) {
    program = bpf_object__find_program_by_name(object_, info.function_name.c_str());
    const Provider &provider = *find_provider(info.provider);
    bpf_program__set_autoload(program, true);
    bpf_program__set_type(program, provider.program_type(info));
    if (auto status = provider.prepare(program, info); !status)
      return status;
  }
  if (bpf_object__load(object_) != 0)
    return error(std::string("load: ") + std::strerror(errno));
  return {};
}

Expected<size_t> BpfPrograms::attach(const AttachOptions &options) {
  size_t attached = 0;
  for (const ProgramInfo &info : infos_) {
    bpf_program *program = bpf_object__find_program_by_name(object_, info.function_name.c_str());
    auto count = find_provider(info.provider)->attach(program, info, options, links_);
    if (!count)
      return error(count.error());
    attached += *count;
  }
  return attached;
}

Status BpfPrograms::load_and_attach(std::optional<pid_t> pid) {
  if (auto status = load(); !status)
    return status;
  auto attached = attach(AttachOptions{pid, nullptr});
  if (!attached)
    return error(attached.error());
  return {};
}

Hits BpfPrograms::hits(uint32_t cookie) const {
  Hits hits;
  bpf_map_lookup_elem(bpf_object__find_map_fd_by_name(object_, "hits"), &cookie, &hits);
  return hits;
}

} // namespace sonde::probes::testing
