#include "runtime/map_preload.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace sonde::runtime {

namespace {

using nlohmann::json;
using types::Kind;

// Writes `value` into `bytes` laid out as `type`; returns an error message.
std::string encode(const json &value, const types::Type &type, uint8_t *bytes) {
  switch (type.kind) {
  case Kind::Integer:
  case Kind::Bool: {
    if (!value.is_number_integer() && !value.is_boolean())
      return "expected an integer, got " + value.dump();
    int64_t v = value.is_boolean() ? value.get<bool>() : value.get<int64_t>();
    std::memcpy(bytes, &v, type.size); // little-endian: the low bytes
    return "";
  }
  case Kind::String: {
    if (!value.is_string())
      return "expected a string, got " + value.dump();
    std::string s = value.get<std::string>();
    if (s.size() >= type.size)
      return "\"" + s + "\" is longer than the map's " + std::to_string(type.size - 1) +
             "-byte strings";
    std::memcpy(bytes, s.data(), s.size());
    return "";
  }
  case Kind::Tuple: {
    if (!value.is_array() || value.size() != type.fields.size())
      return "expected an array of " + std::to_string(type.fields.size()) + " parts, got " +
             value.dump();
    for (size_t i = 0; i < type.fields.size(); i++) {
      std::string err = encode(value[i], *type.fields[i].type, bytes + type.fields[i].offset);
      if (!err.empty())
        return err;
    }
    return "";
  }
  default:
    return "maps of " + type.display_name() + " cannot be filled from a file";
  }
}

Status put(const MapInfo &info, int fd, const json &key, const json &value,
           const std::string &path) {
  std::vector<uint8_t> key_bytes(info.key->size), value_bytes(info.value->size);
  std::string err = encode(key, *info.key, key_bytes.data());
  if (err.empty())
    err = encode(value, *info.value, value_bytes.data());
  if (!err.empty())
    return error(path + ": " + info.script_name + ": " + err);
  if (bpf_map_update_elem(fd, key_bytes.data(), value_bytes.data(), BPF_ANY) != 0)
    return error(path + ": cannot add to " + info.script_name + ": " + std::strerror(errno));
  return {};
}

} // namespace

Status preload_map(const MapInfo &info, const bpf_map *map, const std::string &path) {
  if (info.key->kind == Kind::None)
    return error(info.script_name + " has no key: only keyed maps can be filled from a file");
  if (info.percpu)
    return error(info.script_name + " is an aggregation: it cannot be filled from a file");
  std::ifstream in(path);
  if (!in)
    return error("cannot read " + path + ": " + std::strerror(errno));
  json document = json::parse(in, nullptr, false);
  if (document.is_discarded())
    return error(path + " is not valid JSON");
  int fd = bpf_map__fd(map);
  if (document.is_array()) {
    for (const auto &key : document)
      if (Status s = put(info, fd, key, 1, path); !s)
        return s;
    return {};
  }
  if (!document.is_object())
    return error(path + ": expected a JSON object (key: value) or array (keys)");
  for (const auto &[key, value] : document.items()) {
    json parsed_key = key;
    // Integer keys are written as JSON object keys, which are strings.
    if (info.key->kind == Kind::Integer)
      parsed_key = json::parse(key, nullptr, false);
    if (Status s = put(info, fd, parsed_key, value, path); !s)
      return s;
  }
  return {};
}

} // namespace sonde::runtime
