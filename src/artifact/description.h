#pragma once

// The JSON description of an artifact: everything but the BPF object.

#include "artifact/artifact.h"

#include <nlohmann/json.hpp>

namespace sonde::artifact {

nlohmann::json describe(const Artifact &artifact);

// Fills everything but script.elf. Throws nlohmann::json::exception or
// std::out_of_range on a malformed description; returns an error for one that
// is well-formed but inconsistent.
Status read_description(const nlohmann::json &description, Artifact &artifact);

} // namespace sonde::artifact
