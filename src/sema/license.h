#pragma once

// The license the programs are loaded with, as bpftrace 0.26 accepts it:
// only the licenses the kernel takes as GPL-compatible, from the config's
// `license` or else from the script's SPDX-License-Identifier comment.

#include "ast/location.h"

#include <optional>
#include <string>

namespace sonde::sema {

// Whether `license` is one of the strings the kernel takes as
// GPL-compatible ("GPL", "GPL v2", "Dual BSD/GPL", ...).
bool gpl_compatible(const std::string &license);

// bpftrace's refusal of a license that is not.
std::string non_gpl_license_error(const std::string &license);

// A `SPDX-License-Identifier: EXPR` comment of the script.
struct SpdxLicense {
  ast::Location loc;      // the identifier expression
  std::string expression; // "GPL-2.0-or-later", "GPL-2.0 OR BSD-2-Clause"
  // The kernel license string it amounts to ("GPL", "Dual BSD/GPL"), or
  // empty when no term of it is a GPL license.
  std::string license;
};

std::optional<SpdxLicense> find_spdx_license(const std::string &source_text);

} // namespace sonde::sema
