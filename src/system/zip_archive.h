#pragma once

// Shared libraries stored in ZIP archives (Android APKs map them from there):
// written `ARCHIVE!/MEMBER`, the member is read, and probed, where its bytes
// lie in the archive. Only members stored uncompressed can be.

#include "common/expected.h"

#include <cstdint>
#include <string>

namespace sonde::system {

struct ArchiveMember {
  std::string archive; // the ZIP file
  uint64_t offset = 0; // of the member's first byte in it
  uint64_t size = 0;
};

// Whether `path` names a member of an archive: it holds "!/".
bool names_archive_member(const std::string &path);

// Finds the member through the archive's central directory; fails when the
// archive cannot be read, has no such member, or compresses it.
Expected<ArchiveMember> find_archive_member(const std::string &path);

} // namespace sonde::system
