#pragma once

#include <string>
#include <string_view>

namespace sonde::output {

// `s` as a JSON string literal, quotes included. Bytes >= 0x80 pass through
// unchanged, so UTF-8 text stays readable.
std::string json_quote(std::string_view s);

} // namespace sonde::output
