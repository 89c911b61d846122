// cgroup paths: the naming and order of hierarchies on a made-up tree, and a
// cgroup created in this machine's cgroup2 hierarchy.

#include "runtime/symbols/cgroup_paths.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace sonde::symbols {
namespace {

namespace fs = std::filesystem;

uint64_t inode_of(const fs::path &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

std::string cgroup2_mount() {
  std::ifstream in("/proc/self/mounts");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string device, mount_point, type;
    fields >> device >> mount_point >> type;
    if (type == "cgroup2")
      return mount_point;
  }
  return "";
}

// A directory tree standing in for cgroupfs: one hierarchy "mounted" as
// cgroup2 and (through symlinks to the same tree) as two v1 hierarchies, one
// of them twice.
class MadeUpHierarchies : public testing::Test {
protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("sonde_cgroups_" + std::to_string(getpid()));
    fs::create_directories(root_ / "tree" / "a" / "b");
    fs::create_directory_symlink(root_ / "tree", root_ / "memory");
    fs::create_directory_symlink(root_ / "tree", root_ / "cpu");
    std::ofstream(root_ / "mounts")
        << "cgroup " << (root_ / "memory").string() << " cgroup rw,memory 0 0\n"
        << "cgroup2 " << (root_ / "tree").string() << " cgroup2 rw 0 0\n"
        << "proc /proc proc rw 0 0\n"
        << "cgroup " << (root_ / "cpu").string() << " cgroup rw,cpu 0 0\n"
        << "cgroup " << (root_ / "cpu").string() << " cgroup rw,cpu 0 0\n";
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
};

TEST_F(MadeUpHierarchies, Cgroup2FirstThenV1ByNameEachOnce) {
  CgroupPaths paths((root_ / "mounts").string());
  EXPECT_EQ(paths.path(inode_of(root_ / "tree" / "a" / "b")), "unified:/a/b,cpu:/a/b,memory:/a/b");
  EXPECT_EQ(paths.path(inode_of(root_ / "tree")), "unified:/,cpu:/,memory:/");
  EXPECT_EQ(paths.path(inode_of(root_ / "mounts")), "");
}

TEST_F(MadeUpHierarchies, FilterKeepsTheHierarchiesItMatches) {
  CgroupPaths paths((root_ / "mounts").string());
  uint64_t b = inode_of(root_ / "tree" / "a" / "b");
  EXPECT_EQ(paths.path(b, "unified"), "unified:/a/b");
  EXPECT_EQ(paths.path(b, "m*"), "memory:/a/b");
  EXPECT_EQ(paths.path(b, "*u*"), "unified:/a/b,cpu:/a/b");
  EXPECT_EQ(paths.path(b, "blkio"), "");
}

TEST(CgroupPaths, FindsACgroupOfThisMachine) {
  std::string mount = cgroup2_mount();
  ASSERT_NE(mount, "");
  fs::path cgroup = fs::path(mount) / ("sonde_symbols_test_" + std::to_string(getpid()));
  ASSERT_TRUE(fs::create_directory(cgroup));
  CgroupPaths paths;
  std::string path = paths.path(inode_of(cgroup));
  fs::remove(cgroup);
  EXPECT_EQ(path.rfind("unified:/sonde_symbols_test_" + std::to_string(getpid()), 0), 0u) << path;
  EXPECT_EQ(paths.path(inode_of(mount)).rfind("unified:/", 0), 0u);
}

} // namespace
} // namespace sonde::symbols
