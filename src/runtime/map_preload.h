#pragma once

// `--map @name=FILE`: fills a script map from a JSON file before `begin` runs.
//   {"key": value, …}     keys and values as the map's types need them
//   ["key", …]            a set: each key gets the value 1
// Keys are strings or integers; values are integers. A key of a
// multi-key map is a JSON array of its parts.

#include "common/compiled_script.h"
#include "common/expected.h"

#include <string>

struct bpf_map;

namespace sonde::runtime {

struct MapPreload {
  std::string map; // "@allowed"
  std::string path;
};

Status preload_map(const MapInfo &info, const bpf_map *map, const std::string &path);

} // namespace sonde::runtime
