#include "artifact/artifact.h"

#include "artifact/description.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace sonde::artifact {

namespace {

// FNV-1a, 64 bits: catches damaged files, not tampering.
uint64_t checksum(std::span<const uint8_t> bytes) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (uint8_t b : bytes) {
    hash ^= b;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

void put_le(std::vector<uint8_t> &out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; i++)
    out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

uint64_t get_le(std::span<const uint8_t> in, size_t offset, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; i++)
    value |= static_cast<uint64_t>(in[offset + static_cast<size_t>(i)]) << (8 * i);
  return value;
}

} // namespace

std::vector<uint8_t> encode(const Artifact &artifact) {
  std::string description = describe(artifact).dump();
  const auto &elf = artifact.script.elf;
  std::vector<uint8_t> payload(description.begin(), description.end());
  payload.insert(payload.end(), elf.begin(), elf.end());

  std::vector<uint8_t> out(std::begin(kMagic), std::end(kMagic));
  put_le(out, kFormatVersion, 4);
  put_le(out, kHeaderSize, 4);
  put_le(out, description.size(), 8);
  put_le(out, elf.size(), 8);
  put_le(out, checksum(payload), 8);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

Expected<Artifact> decode(std::span<const uint8_t> bytes, const std::string &name) {
  if (bytes.size() < sizeof(kMagic) || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0)
    return error(name + " is not a sonde artifact (no SONDEAOT header)");
  if (bytes.size() < kHeaderSize)
    return error(name + " is truncated: its header is incomplete");
  auto version = get_le(bytes, 8, 4);
  if (version > kFormatVersion || version == 0)
    return error(name + " is a version " + std::to_string(version) +
                 " artifact; this build reads versions up to " + std::to_string(kFormatVersion) +
                 ": run it with a newer sonde-run, or compile the script again with this sonde");
  auto header_size = get_le(bytes, 12, 4);
  auto description_size = get_le(bytes, 16, 8);
  auto object_size = get_le(bytes, 24, 8);
  auto expected_sum = get_le(bytes, 32, 8);
  uint64_t available = bytes.size();
  if (header_size < kHeaderSize || header_size > available ||
      description_size > available - header_size ||
      object_size > available - header_size - description_size)
    return error(name + " is truncated: its header announces " +
                 std::to_string(header_size + description_size + object_size) +
                 " bytes, the file has " + std::to_string(available));
  if (header_size + description_size + object_size != available)
    return error(name + " is corrupted: " +
                 std::to_string(available - header_size - description_size - object_size) +
                 " bytes follow the object");
  auto payload = bytes.subspan(header_size);
  if (checksum(payload) != expected_sum)
    return error(name + " is corrupted: its checksum does not match its contents");

  Artifact artifact;
  auto description = payload.first(description_size);
  try {
    auto json = nlohmann::json::parse(description.begin(), description.end());
    if (Status read = read_description(json, artifact); !read)
      return error(name + " is corrupted: " + read.error());
  } catch (const std::exception &e) {
    return error(name + " is corrupted: its description is unreadable (" + e.what() + ")");
  }
  auto object = payload.subspan(description_size);
  artifact.script.elf.assign(object.begin(), object.end());
  return artifact;
}

bool is_artifact(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  char magic[sizeof(kMagic)] = {};
  return in.read(magic, sizeof(magic)) && std::memcmp(magic, kMagic, sizeof(kMagic)) == 0;
}

Expected<Artifact> read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return error("cannot read " + path + ": " + std::strerror(errno));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  return decode(bytes, path);
}

Status write_file(const std::string &path, const Artifact &artifact) {
  std::vector<uint8_t> bytes;
  try {
    bytes = encode(artifact);
  } catch (const nlohmann::json::type_error &) {
    // The description is JSON, whose strings are UTF-8.
    return error("--aot cannot carry a script string that is not valid UTF-8 (a \\x byte "
                 "escape); run the script with sonde");
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out)
    return error("cannot write " + path + ": " + std::strerror(errno));
  return {};
}

} // namespace sonde::artifact
