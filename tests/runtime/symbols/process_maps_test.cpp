// /proc/PID/maps texts: the code mappings of files.

#include "system/process_maps.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace sonde::system {
namespace {

TEST(ProcessMaps, CodeMappingsOfFiles) {
  auto mappings =
      code_mappings("00400000-00452000 r-xp 00000000 fd:01 1234    /usr/bin/cat\n"
                    "7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n"
                    "7f0000001000-7f0000002000 r-xp 00001000 fd:01 99 /tmp/a b (deleted)\n"
                    "7ffd00000000-7ffd00001000 r-xp 00000000 00:00 0    [vdso]\n");
  ASSERT_EQ(mappings.size(), 2u);
  EXPECT_EQ(mappings[0].range, "00400000-00452000");
  EXPECT_EQ(mappings[0].start, 0x400000u);
  EXPECT_EQ(mappings[0].end, 0x452000u);
  EXPECT_EQ(mappings[0].offset, 0u);
  EXPECT_EQ(mappings[0].file_id, "fd:01 1234");
  EXPECT_EQ(mappings[0].path, "/usr/bin/cat");
  EXPECT_FALSE(mappings[0].deleted);
  EXPECT_EQ(mappings[1].offset, 0x1000u);
  EXPECT_EQ(mappings[1].path, "/tmp/a b");
  EXPECT_TRUE(mappings[1].deleted);
}

TEST(ProcessMaps, ThisProcessMapsItsOwnCode) {
  auto mappings = code_mappings(read_process_maps(static_cast<uint64_t>(getpid())));
  char self[4096] = {};
  ASSERT_GT(readlink("/proc/self/exe", self, sizeof(self) - 1), 0);
  bool found = false;
  for (const CodeMapping &mapping : mappings)
    found = found || mapping.path == self;
  EXPECT_TRUE(found);
  EXPECT_EQ(read_process_maps(0), "");
}

} // namespace
} // namespace sonde::system
