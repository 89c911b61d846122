#include "runtime/symbols/system_symbols.h"

#include "common/uprobe_location.h"
#include "runtime/symbols/demangle.h"
#include "runtime/symbols/syscall_names.h"
#include "system/gfp_flags.h"

#include <pwd.h>
#include <unistd.h>

namespace sonde::symbols {

using output::hex_address;
using output::StackFrame;
using output::StackMode;

SystemSymbols::SystemSymbols(std::vector<std::string> probe_names, StackReader read_stack,
                             StackMode stack_mode)
    : raw_(std::move(probe_names)), read_stack_(std::move(read_stack)), stack_mode_(stack_mode) {}

void SystemSymbols::remember_process(uint64_t pid) { user_.remember(pid); }

std::string SystemSymbols::probe_name(uint64_t index) { return raw_.probe_name(index); }

std::string SystemSymbols::ksym(uint64_t address) {
  auto symbol = kernel_.symbol_at(address);
  return symbol ? std::string(symbol->name) : hex_address(address);
}

namespace {

// The function a uprobe spec names ("uprobe:/lib/libc.so.6:malloc"), or ""
// when it names an address.
std::string probed_function(const std::string &spec) {
  size_t provider_end = spec.find(':');
  size_t path_end =
      provider_end == std::string::npos ? provider_end : spec.find(':', provider_end + 1);
  if (path_end == std::string::npos)
    return "";
  auto location = parse_uprobe_location(spec.substr(path_end + 1));
  bool named = location && !location->is_address && !location->symbol.empty() &&
               location->symbol.find('*') == std::string::npos;
  return named ? location->symbol : "";
}

} // namespace

std::string SystemSymbols::usym(uint64_t address, uint64_t tagged_pid) {
  uint64_t pid = tagged_pid & 0xffffffff;
  if (auto symbol = user_.resolve(pid, address))
    return symbol->name;
  // `func` of a uprobe: the process is gone, but the probe names it.
  if (uint64_t probe = tagged_pid >> 32) {
    std::string function = probed_function(raw_.probe_name(probe - 1));
    if (!function.empty())
      return user_.demangles() ? demangle(function) : function;
  }
  return hex_address(address);
}

namespace {

StackFrame address_only(uint64_t address) {
  StackFrame frame;
  frame.address = address;
  return frame;
}

std::string source_text(const system::SourceFrame &source) {
  return source.file + ":" + std::to_string(source.line);
}

} // namespace

std::vector<StackFrame> SystemSymbols::kstack(uint64_t stack_id) {
  std::vector<StackFrame> frames;
  for (uint64_t address : read_stack_(stack_id)) {
    StackFrame frame = address_only(address);
    if (stack_mode_ != StackMode::Raw)
      if (auto symbol = kernel_.symbol_at(address))
        frame.symbol = std::string(symbol->name) + "+" + std::to_string(symbol->offset);
    frames.push_back(std::move(frame));
  }
  return frames;
}

std::vector<StackFrame> SystemSymbols::ustack(uint64_t stack_id, uint64_t pid) {
  std::vector<StackFrame> frames;
  for (uint64_t address : read_stack_(stack_id))
    if (stack_mode_ == StackMode::Raw)
      frames.push_back(address_only(address));
    else
      add_user_frames(address, pid, frames);
  return frames;
}

std::vector<StackFrame> SystemSymbols::ustack_build_ids(uint64_t stack_id, uint64_t pid) {
  std::vector<StackFrame> frames;
  for (uint64_t address : read_stack_(stack_id)) {
    StackFrame frame = address_only(address);
    if (auto location = user_.file_location(pid, address)) {
      frame.build_id = location->build_id;
      frame.file_offset = location->offset;
    }
    frames.push_back(std::move(frame));
  }
  return frames;
}

void SystemSymbols::add_user_frames(uint64_t address, uint64_t pid,
                                    std::vector<StackFrame> &frames) {
  auto symbol = user_.resolve(pid, address, debug_info_);
  if (!symbol) {
    frames.push_back(address_only(address));
    frames.back().module = "[unknown]";
    return;
  }
  StackFrame frame = address_only(address);
  frame.symbol = symbol->name + "+" + std::to_string(symbol->offset);
  frame.module = symbol->module;
  for (const auto &source : symbol->sources) {
    if (source.inlined_function.empty()) {
      frame.source = source_text(source);
      break;
    }
    StackFrame inlined = address_only(address);
    inlined.symbol = source.inlined_function;
    inlined.module = symbol->module;
    inlined.source = source_text(source);
    inlined.inlined = true;
    frames.push_back(std::move(inlined));
  }
  frames.push_back(std::move(frame));
}

std::string SystemSymbols::username(uint64_t uid) {
  if (auto cached = usernames_.find(uid); cached != usernames_.end())
    return cached->second;
  std::string name;
  passwd entry;
  passwd *found = nullptr;
  long size = sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(size > 0 ? static_cast<size_t>(size) : 16384);
  if (getpwuid_r(static_cast<uid_t>(uid), &entry, buffer.data(), buffer.size(), &found) == 0 &&
      found)
    name = found->pw_name;
  usernames_.emplace(uid, name);
  return name;
}

std::string SystemSymbols::syscall_name(uint64_t nr) {
  std::string_view name = symbols::syscall_name(nr);
  return name.empty() ? std::to_string(nr) : std::string(name);
}

// Without the kernel's table (no tracefs): the flags in hex.
std::string SystemSymbols::gfp_flags(uint64_t flags) {
  const auto &names = system::kernel_gfp_flag_names();
  return names ? system::gfp_flags_text(flags, *names) : hex_address(flags);
}

std::string SystemSymbols::cgroup_path(uint64_t cgroup_id, const std::string &filter) {
  return cgroups_.path(cgroup_id, filter);
}

std::string SystemSymbols::timestamp(uint64_t ns, const std::string &format) {
  return raw_.timestamp(ns, format);
}

} // namespace sonde::symbols
