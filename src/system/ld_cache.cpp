#include "system/ld_cache.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sonde::system {

namespace {

constexpr std::string_view kOldMagic = "ld.so-1.7.0";
constexpr std::string_view kNewMagic = "glibc-ld.so.cache1.1";
constexpr size_t kOldHeaderSize = 16; // magic, padded to 12, then the entry count
constexpr size_t kOldEntrySize = 12;
constexpr size_t kNewHeaderSize = 48;
constexpr size_t kNewEntrySize = 24; // flags, key, value, osversion, hwcap
constexpr size_t kNewAlignment = 8;

constexpr int32_t kTypeMask = 0x00ff;
constexpr int32_t kElfLibc6 = 0x0003;
constexpr int32_t kArchMask = 0xff00;
#if defined(__x86_64__)
constexpr int32_t kHostArch = 0x0300;
#elif defined(__aarch64__)
constexpr int32_t kHostArch = 0x0a00;
#else
constexpr int32_t kHostArch = 0x0000;
#endif

constexpr const char *kCachePath = "/etc/ld.so.cache";

template <typename T> T read_at(std::string_view bytes, size_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof(value));
  return value;
}

// A NUL-terminated string at `offset`, or nothing when it runs off the end.
std::optional<std::string> string_at(std::string_view bytes, size_t offset) {
  if (offset >= bytes.size())
    return std::nullopt;
  size_t end = bytes.find('\0', offset);
  if (end == std::string_view::npos)
    return std::nullopt;
  return std::string(bytes.substr(offset, end - offset));
}

// Where the new-format cache starts: at 0, or after the old-format table.
std::optional<size_t> new_format_start(std::string_view bytes) {
  if (bytes.starts_with(kNewMagic))
    return 0;
  if (!bytes.starts_with(kOldMagic) || bytes.size() < kOldHeaderSize)
    return std::nullopt;
  size_t old_end = kOldHeaderSize + read_at<uint32_t>(bytes, 12) * kOldEntrySize;
  size_t start = (old_end + kNewAlignment - 1) / kNewAlignment * kNewAlignment;
  if (start >= bytes.size() || !bytes.substr(start).starts_with(kNewMagic))
    return std::nullopt;
  return start;
}

} // namespace

Expected<std::vector<LdCacheEntry>> parse_ld_cache(std::string_view bytes) {
  auto start = new_format_start(bytes);
  if (!start || bytes.size() < *start + kNewHeaderSize)
    return error("not a glibc ld.so.cache file");
  std::string_view cache = bytes.substr(*start);
  uint32_t count = read_at<uint32_t>(cache, 20);
  if (kNewHeaderSize + static_cast<uint64_t>(count) * kNewEntrySize > cache.size())
    return error("truncated ld.so.cache file");
  std::vector<LdCacheEntry> entries;
  for (uint32_t i = 0; i < count; i++) {
    size_t at = kNewHeaderSize + i * kNewEntrySize;
    int32_t flags = read_at<int32_t>(cache, at);
    if ((flags & kTypeMask) != kElfLibc6 || (flags & kArchMask) != kHostArch)
      continue;
    // String offsets count from the start of the new-format cache.
    auto name = string_at(cache, read_at<uint32_t>(cache, at + 4));
    auto path = string_at(cache, read_at<uint32_t>(cache, at + 8));
    if (!name || !path)
      return error("malformed ld.so.cache entry " + std::to_string(i));
    entries.push_back(LdCacheEntry{std::move(*name), std::move(*path)});
  }
  return entries;
}

std::optional<std::string> find_library(const std::string &name) {
  static const std::vector<LdCacheEntry> cache = [] {
    std::ifstream in(kCachePath, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    auto entries = parse_ld_cache(bytes.str());
    return entries ? std::move(*entries) : std::vector<LdCacheEntry>{};
  }();
  for (const LdCacheEntry &entry : cache)
    if (entry.name == name)
      return entry.path;
  for (const LdCacheEntry &entry : cache)
    if (entry.name.starts_with(name + ".so"))
      return entry.path;
  return std::nullopt;
}

} // namespace sonde::system
