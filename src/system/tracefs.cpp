#include "system/tracefs.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/mount.h>
#include <unistd.h>

namespace sonde::system::tracefs {

namespace fs = std::filesystem;

namespace {

constexpr const char *kDefaultMount = "/sys/kernel/tracing";

// The mount point of the first tracefs in /proc/mounts, or "".
std::string mounted_tracefs() {
  std::ifstream mounts("/proc/mounts");
  std::string device, mount_point, type, rest;
  while (mounts >> device >> mount_point >> type && std::getline(mounts, rest)) {
    if (type == "tracefs")
      return mount_point;
  }
  return "";
}

Expected<std::string> find_or_mount() {
  std::string mount_point = mounted_tracefs();
  if (!mount_point.empty())
    return mount_point;
  if (geteuid() != 0)
    return error(std::string("tracefs is not mounted at ") + kDefaultMount +
                 " (mount it, or run as root)");
  if (mount("nodev", kDefaultMount, "tracefs", 0, nullptr) != 0)
    return error(std::string("cannot mount tracefs at ") + kDefaultMount + ": " +
                 std::strerror(errno));
  return std::string(kDefaultMount);
}

Expected<std::vector<std::string>> subdirectories(const fs::path &dir) {
  std::error_code ec;
  std::vector<std::string> names;
  for (const auto &entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory(ec))
      names.push_back(entry.path().filename().string());
  }
  if (ec)
    return error("cannot list " + dir.string() + ": " + ec.message());
  std::sort(names.begin(), names.end());
  return names;
}

Expected<fs::path> events_dir() {
  auto base = root();
  if (!base)
    return error(base.error());
  return fs::path(*base) / "events";
}

} // namespace

Expected<std::string> root() {
  static std::optional<Expected<std::string>> cached;
  if (!cached)
    cached = find_or_mount();
  return *cached;
}

Expected<std::vector<std::string>> categories() {
  auto dir = events_dir();
  if (!dir)
    return error(dir.error());
  return subdirectories(*dir);
}

Expected<std::vector<std::string>> events(const std::string &category) {
  auto dir = events_dir();
  if (!dir)
    return error(dir.error());
  return subdirectories(*dir / category);
}

bool event_exists(const std::string &category, const std::string &event) {
  auto dir = events_dir();
  std::error_code ec;
  return dir && fs::exists(*dir / category / event / "format", ec);
}

Expected<TracepointFormat> format(const std::string &category, const std::string &event) {
  auto dir = events_dir();
  if (!dir)
    return error(dir.error());
  fs::path path = *dir / category / event / "format";
  std::ifstream in(path);
  if (!in)
    return error("cannot read " + path.string() + ": " + std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  std::string message;
  auto parsed = parse_tracepoint_format(text.str(), message);
  if (!parsed)
    return error(path.string() + ": " + message);
  return std::move(*parsed);
}

} // namespace sonde::system::tracefs
