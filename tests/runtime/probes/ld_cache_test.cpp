// The ld.so cache reader against glibc's own `ldconfig -p`, and on bytes
// built by hand.

#include "probes_test_support.h"
#include "system/ld_cache.h"

#include <cstring>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

namespace sonde::probes::testing {
namespace {

std::string file_bytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// `ldconfig -p` lines for this machine's architecture, as "name path".
std::vector<std::string> ldconfig_entries() {
#if defined(__x86_64__)
  const std::string arch = "(libc6,x86-64";
#elif defined(__aarch64__)
  const std::string arch = "(libc6,AArch64";
#else
  const std::string arch = "(libc6)";
#endif
  std::vector<std::string> entries;
  for (const std::string &line : lines_of(command_output("ldconfig -p"))) {
    size_t name_start = line.find_first_not_of(" \t");
    size_t arrow = line.find(" => ");
    if (arrow == std::string::npos || line.find(arch) == std::string::npos)
      continue;
    std::string name = line.substr(name_start, line.find(' ', name_start) - name_start);
    entries.push_back(name + " " + line.substr(arrow + 4));
  }
  return entries;
}

TEST(LdCache, MatchesLdconfig) {
  auto entries = system::parse_ld_cache(file_bytes("/etc/ld.so.cache"));
  ASSERT_TRUE(entries.ok()) << entries.error();
  std::vector<std::string> ours;
  for (const system::LdCacheEntry &entry : *entries)
    ours.push_back(entry.name + " " + entry.path);
  std::vector<std::string> expected = ldconfig_entries();
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(ours, expected);
}

TEST(LdCache, FindsLibrariesByNameAndStem) {
  std::string libc = command_output("ldconfig -p | awk '$1 == \"libc.so.6\" && /x86-64|AArch64/ "
                                    "{print $NF; exit}'");
  libc.pop_back();
  EXPECT_EQ(system::find_library("libc.so.6"), libc);
  EXPECT_EQ(system::find_library("libc"), libc);
  EXPECT_EQ(system::find_library("libno_such_library_anywhere"), std::nullopt);
}

// A cache of two entries in the new format, one for another architecture.
std::string handmade_cache() {
  std::string strings = std::string("libfoo.so.1\0/opt/libfoo.so.1\0libbar.so\0/x/libbar.so\0", 52);
  std::string cache = "glibc-ld.so.cache1.1";
  auto put32 = [&](uint32_t value) { cache.append(reinterpret_cast<char *>(&value), 4); };
  auto put64 = [&](uint64_t value) { cache.append(reinterpret_cast<char *>(&value), 8); };
  put32(2); // entries
  put32(static_cast<uint32_t>(strings.size()));
  put32(0);                     // flags and padding
  put32(0);                     // extension offset
  put32(0), put32(0), put32(0); // unused
  uint32_t strings_at = 48 + 2 * 24;
#if defined(__x86_64__)
  int32_t host = 0x0303;
#elif defined(__aarch64__)
  int32_t host = 0x0a03;
#else
  int32_t host = 0x0003;
#endif
  put32(static_cast<uint32_t>(host)), put32(strings_at), put32(strings_at + 12), put32(0), put64(0);
  put32(0x0903), put32(strings_at + 29), put32(strings_at + 39), put32(0), put64(0);
  return cache + strings;
}

TEST(LdCache, ParsesHandmadeCaches) {
  auto entries = system::parse_ld_cache(handmade_cache());
  ASSERT_TRUE(entries.ok()) << entries.error();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].name, "libfoo.so.1");
  EXPECT_EQ((*entries)[0].path, "/opt/libfoo.so.1");

  // The old format first, then the new one at the next 8-byte boundary.
  std::string old_format = "ld.so-1.7.0";
  old_format.push_back('\0');
  uint32_t count = 1;
  old_format.append(reinterpret_cast<char *>(&count), 4);
  old_format.append(12, '\0'); // one old entry
  old_format.append(4, '\0');  // padding to 32
  auto combined = system::parse_ld_cache(old_format + handmade_cache());
  ASSERT_TRUE(combined.ok()) << combined.error();
  EXPECT_EQ(combined->size(), 1u);

  EXPECT_EQ(system::parse_ld_cache("nonsense").error(), "not a glibc ld.so.cache file");
  std::string truncated = handmade_cache().substr(0, 60);
  EXPECT_EQ(system::parse_ld_cache(truncated).error(), "truncated ld.so.cache file");
}

} // namespace
} // namespace sonde::probes::testing
