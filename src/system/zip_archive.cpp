#include "system/zip_archive.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace sonde::system {

namespace {

constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kDirectoryEntry = 0x02014b50;
constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr size_t kEndOfDirectorySize = 22;
constexpr size_t kDirectoryEntrySize = 46;
constexpr size_t kLocalHeaderSize = 30;
constexpr size_t kMaxComment = 0xffff;
constexpr uint16_t kStored = 0;

uint32_t little(const std::vector<uint8_t> &bytes, size_t at, size_t size) {
  uint32_t value = 0;
  for (size_t i = size; i > 0; i--)
    value = value << 8 | bytes[at + i - 1];
  return value;
}

class File {
public:
  explicit File(const std::string &path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~File() {
    if (fd_ >= 0)
      close(fd_);
  }
  bool is_open() const { return fd_ >= 0; }
  uint64_t size() const {
    struct stat status {};
    return fstat(fd_, &status) == 0 ? static_cast<uint64_t>(status.st_size) : 0;
  }
  bool read(uint64_t offset, size_t size, std::vector<uint8_t> &bytes) const {
    bytes.resize(size);
    return pread(fd_, bytes.data(), size, static_cast<off_t>(offset)) == static_cast<ssize_t>(size);
  }

private:
  int fd_;
};

} // namespace

bool names_archive_member(const std::string &path) { return path.find("!/") != std::string::npos; }

Expected<ArchiveMember> find_archive_member(const std::string &path) {
  size_t bang = path.find("!/");
  ArchiveMember member{path.substr(0, bang)};
  std::string name = path.substr(bang + 2);
  auto fail = [&](const std::string &why) { return error(member.archive + ": " + why); };
  File file(member.archive);
  if (!file.is_open())
    return fail(std::strerror(errno));
  uint64_t size = file.size();
  // The end record is last, after a comment of up to 64 KiB.
  uint64_t tail = std::min<uint64_t>(size, kEndOfDirectorySize + kMaxComment);
  std::vector<uint8_t> bytes;
  if (tail < kEndOfDirectorySize || !file.read(size - tail, tail, bytes))
    return fail("not a ZIP archive");
  size_t end = tail - kEndOfDirectorySize + 1;
  while (end-- > 0 && little(bytes, end, 4) != kEndOfDirectory) {
  }
  if (end == static_cast<size_t>(-1))
    return fail("not a ZIP archive");
  uint32_t entries = little(bytes, end + 10, 2);
  uint64_t directory = little(bytes, end + 16, 4);
  uint64_t directory_size = little(bytes, end + 12, 4);
  std::vector<uint8_t> listing;
  if (!file.read(directory, directory_size, listing))
    return fail("cannot read its central directory");
  for (size_t at = 0, i = 0; i < entries && at + kDirectoryEntrySize <= listing.size(); i++) {
    if (little(listing, at, 4) != kDirectoryEntry)
      return fail("damaged central directory");
    uint32_t name_size = little(listing, at + 28, 2);
    size_t next = at + kDirectoryEntrySize + name_size + little(listing, at + 30, 2) +
                  little(listing, at + 32, 2);
    if (at + kDirectoryEntrySize + name_size > listing.size())
      return fail("damaged central directory");
    std::string entry_name(listing.begin() + static_cast<long>(at + kDirectoryEntrySize),
                           listing.begin() +
                               static_cast<long>(at + kDirectoryEntrySize + name_size));
    if (entry_name != name) {
      at = next;
      continue;
    }
    if (little(listing, at + 10, 2) != kStored)
      return fail(name + " is compressed; only members stored uncompressed can be probed");
    uint64_t local = little(listing, at + 42, 4);
    std::vector<uint8_t> header;
    if (!file.read(local, kLocalHeaderSize, header) || little(header, 0, 4) != kLocalHeader)
      return fail("damaged local header of " + name);
    member.offset = local + kLocalHeaderSize + little(header, 26, 2) + little(header, 28, 2);
    member.size = little(listing, at + 24, 4);
    return member;
  }
  return fail("no member " + name);
}

} // namespace sonde::system
