#include "runtime/probes/uprobe_attach.h"
#include "runtime/probes/kernel_features.h"

#include "runtime/probes/unprobeable.h"
#include "system/zip_archive.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/bpf.h>
#include <span>
#include <sys/syscall.h>
#include <unistd.h>

namespace sonde::probes {

namespace {

// Linux 6.6 additions the uapi headers of Debian 12 predate.
constexpr uint32_t kTraceUprobeMulti = 48; // enum bpf_attach_type
constexpr uint32_t kUprobeMultiReturn = 1; // BPF_F_UPROBE_MULTI_RETURN
// The kernel's ENOTSUPP, which it returns for instructions uprobes refuse.
constexpr int kNotSupported = 524;

// The uprobe_multi member of union bpf_attr's link_create.
struct UprobeMultiLinkAttr {
  uint32_t prog_fd;
  uint32_t target_fd;
  uint32_t attach_type;
  uint32_t flags;
  uint64_t path;
  uint64_t offsets;
  uint64_t ref_ctr_offsets;
  uint64_t cookies;
  uint32_t count;
  uint32_t multi_flags;
  uint32_t pid;
  uint32_t padding;
};

long link_create(UprobeMultiLinkAttr &attr) {
  return syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
}

// A kernel with uprobe_multi links looks the path up before anything else,
// so a directory fails with EBADF; one without rejects the attach type.
bool probe_uprobe_multi() {
  const bpf_insn return_zero[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0},
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  LIBBPF_OPTS(bpf_prog_load_opts, opts,
              .expected_attach_type = static_cast<bpf_attach_type>(kTraceUprobeMulti));
  int prog = bpf_prog_load(BPF_PROG_TYPE_KPROBE, nullptr, "GPL", return_zero, 2, &opts);
  if (prog < 0)
    return false;
  uint64_t offset = 0;
  UprobeMultiLinkAttr attr{};
  attr.prog_fd = static_cast<uint32_t>(prog);
  attr.attach_type = kTraceUprobeMulti;
  attr.path = reinterpret_cast<uint64_t>("/");
  attr.offsets = reinterpret_cast<uint64_t>(&offset);
  attr.count = 1;
  long link = link_create(attr);
  bool supported = link < 0 && errno == EBADF;
  if (link >= 0)
    close(static_cast<int>(link));
  close(prog);
  return supported;
}

} // namespace

bool uprobe_multi_supported() {
  if (kernel_feature_disabled("uprobe_multi"))
    return false;
  static const bool supported = probe_uprobe_multi();
  return supported;
}

namespace {

// Errors that are about one site rather than the program, the binary or
// the process.
bool refused_site(int error) {
  return error == EINVAL || error == EPROTO || error == kNotSupported;
}

std::string reason(int error) {
  if (error == EPROTO || error == kNotSupported)
    return "the kernel cannot place a uprobe on that instruction";
  return std::strerror(error);
}

// One link for all the sites, or the errno that refused it.
int attach_multi(bpf_program *program, const std::string &path,
                 std::span<const UprobeSite *const> sites, bool retprobe, std::optional<pid_t> pid,
                 std::vector<Link> &links) {
  std::vector<uint64_t> offsets, ref_ctr_offsets, cookies;
  bool any_semaphore = false;
  for (const UprobeSite *site : sites) {
    offsets.push_back(site->offset);
    ref_ctr_offsets.push_back(site->ref_ctr_offset);
    cookies.push_back(site->cookie);
    any_semaphore |= site->ref_ctr_offset != 0;
  }
  UprobeMultiLinkAttr attr{};
  attr.prog_fd = static_cast<uint32_t>(bpf_program__fd(program));
  attr.attach_type = kTraceUprobeMulti;
  attr.path = reinterpret_cast<uint64_t>(path.c_str());
  attr.offsets = reinterpret_cast<uint64_t>(offsets.data());
  attr.ref_ctr_offsets = any_semaphore ? reinterpret_cast<uint64_t>(ref_ctr_offsets.data()) : 0;
  attr.cookies = reinterpret_cast<uint64_t>(cookies.data());
  attr.count = static_cast<uint32_t>(sites.size());
  attr.multi_flags = retprobe ? kUprobeMultiReturn : 0;
  attr.pid = pid ? static_cast<uint32_t>(*pid) : 0;
  long fd = link_create(attr);
  if (fd < 0)
    return errno;
  links.push_back(Link::from_fd(static_cast<int>(fd)));
  return 0;
}

int attach_one(bpf_program *program, const std::string &path, const UprobeSite &site, bool retprobe,
               std::optional<pid_t> pid, std::vector<Link> &links) {
  LIBBPF_OPTS(bpf_uprobe_opts, opts, .ref_ctr_offset = site.ref_ctr_offset,
              .bpf_cookie = site.cookie, .retprobe = retprobe);
  bpf_link *link =
      bpf_program__attach_uprobe_opts(program, pid ? *pid : -1, path.c_str(), site.offset, &opts);
  if (!link)
    return errno;
  links.emplace_back(link);
  return 0;
}

// What attaching the sites of one binary came to.
struct Outcome {
  std::vector<const UprobeSite *> refused; // sites the kernel cannot probe
  int refusal = 0;                         // the errno of the first of them
  int failure = 0;                         // an errno about the program, binary or process: give up
  const UprobeSite *failed_site = nullptr;
};

void record(Outcome &outcome, const UprobeSite &site, int error) {
  if (refused_site(error)) {
    if (outcome.refused.empty())
      outcome.refusal = error;
    outcome.refused.push_back(&site);
  } else if (!outcome.failure) {
    outcome.failure = error;
    outcome.failed_site = &site;
  }
}

// A site the kernel refuses fails a whole multi link; halving finds it
// while the rest attach in a few links.
void attach_halving(bpf_program *program, const std::string &path,
                    std::span<const UprobeSite *const> sites, bool retprobe,
                    std::optional<pid_t> pid, std::vector<Link> &links, Outcome &outcome) {
  if (sites.empty() || outcome.failure)
    return;
  int error = attach_multi(program, path, sites, retprobe, pid, links);
  if (error == 0)
    return;
  if (sites.size() == 1 || !refused_site(error)) {
    record(outcome, *sites.front(), error);
    return;
  }
  size_t half = sites.size() / 2;
  attach_halving(program, path, sites.first(half), retprobe, pid, links, outcome);
  attach_halving(program, path, sites.subspan(half), retprobe, pid, links, outcome);
}

void attach_each(bpf_program *program, const std::string &path,
                 std::span<const UprobeSite *const> sites, bool retprobe, std::optional<pid_t> pid,
                 std::vector<Link> &links, Outcome &outcome) {
  for (const UprobeSite *site : sites) {
    if (int error = attach_one(program, path, *site, retprobe, pid, links); error != 0)
      record(outcome, *site, error);
    if (outcome.failure)
      return;
  }
}

// "a, b, c and 4 more"
std::string some_labels(const std::vector<const UprobeSite *> &sites) {
  constexpr size_t kShown = 3;
  std::string text;
  for (size_t i = 0; i < sites.size() && i < kShown; i++)
    text += (i ? ", " : "") + sites[i]->label;
  if (sites.size() > kShown)
    text += " and " + std::to_string(sites.size() - kShown) + " more";
  return text;
}

// Attaches the sites of one binary, skipping those known to be refused.
// The outcome's site pointers point into `sites`.
Outcome attach_binary(bpf_program *program, const std::string &path,
                      const std::vector<UprobeSite> &sites, bool retprobe, std::optional<pid_t> pid,
                      std::vector<Link> &links) {
  Outcome outcome;
  std::vector<const UprobeSite *> candidates;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  for (const UprobeSite &site : sites) {
    if (fd >= 0 && unprobeable_instruction_at(fd, site.offset))
      record(outcome, site, kNotSupported);
    else
      candidates.push_back(&site);
  }
  if (fd >= 0)
    close(fd);
  if (uprobe_multi_supported())
    attach_halving(program, path, candidates, retprobe, pid, links, outcome);
  else
    attach_each(program, path, candidates, retprobe, pid, links, outcome);
  return outcome;
}

// The kernel probes files: a library in a ZIP archive is probed in the
// archive, at the member's offset.
Expected<UprobeSitesByPath> sites_in_files(const UprobeSitesByPath &sites) {
  UprobeSitesByPath in_files;
  for (const auto &[path, path_sites] : sites) {
    if (!system::names_archive_member(path)) {
      in_files[path] = path_sites;
      continue;
    }
    auto member = system::find_archive_member(path);
    if (!member)
      return error(member.error());
    auto &shifted = in_files[member->archive];
    for (UprobeSite site : path_sites) {
      site.offset += member->offset;
      if (site.ref_ctr_offset)
        site.ref_ctr_offset += member->offset;
      shifted.push_back(std::move(site));
    }
  }
  return in_files;
}

} // namespace

Status prepare_uprobe_program(bpf_program *program) {
  if (uprobe_multi_supported() &&
      bpf_program__set_expected_attach_type(program,
                                            static_cast<bpf_attach_type>(kTraceUprobeMulti)) != 0)
    return error(std::string("cannot prepare a uprobe program: ") + std::strerror(errno));
  return {};
}

Expected<size_t> attach_uprobe_sites(bpf_program *program, const UprobeSitesByPath &sites,
                                     size_t target_count, bool retprobe,
                                     const AttachOptions &options, std::vector<Link> &links) {
  std::vector<Link> made;
  std::vector<size_t> sites_of(target_count), refused_of(target_count);
  std::vector<std::string> warnings;
  const UprobeSite *first_refused = nullptr;
  int first_refusal = 0;
  size_t site_count = 0, refused_count = 0;
  auto in_files = sites_in_files(sites);
  if (!in_files)
    return error(in_files.error());
  for (const auto &[path, path_sites] : *in_files) {
    Outcome outcome = attach_binary(program, path, path_sites, retprobe, options.pid, made);
    if (outcome.failure)
      return error("cannot attach " + outcome.failed_site->spec + ": " + reason(outcome.failure));
    for (const UprobeSite &site : path_sites)
      sites_of.at(site.target)++;
    for (const UprobeSite *site : outcome.refused)
      refused_of.at(site->target)++;
    site_count += path_sites.size();
    refused_count += outcome.refused.size();
    if (outcome.refused.empty())
      continue;
    if (!first_refused) {
      first_refused = outcome.refused.front();
      first_refusal = outcome.refusal;
    }
    warnings.push_back("skipped " + std::to_string(outcome.refused.size()) + " of " +
                       std::to_string(path_sites.size()) + " probe sites in " + path + " (" +
                       reason(outcome.refusal) + "): " + some_labels(outcome.refused));
  }
  if (first_refused && refused_count == site_count)
    return error(
        "cannot attach " + first_refused->spec +
        (site_count > 1 ? " (nor " + std::to_string(site_count - 1) + " other sites)" : "") + ": " +
        reason(first_refusal));
  if (options.warn)
    for (const std::string &warning : warnings)
      options.warn(warning);
  for (Link &link : made)
    links.push_back(std::move(link));
  size_t attached = 0;
  for (size_t target = 0; target < target_count; target++)
    attached += sites_of[target] > refused_of[target];
  return attached;
}

} // namespace sonde::probes
