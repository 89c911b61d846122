#pragma once

#include <string>
#include <string_view>

namespace sonde::output {

// `s` as a JSON string literal, quotes included, always valid JSON: valid
// UTF-8 sequences pass through unchanged, so text stays readable; each byte
// that is not part of one (a binary value, text cut mid-character) becomes
// \ufffd, the replacement character.
std::string json_quote(std::string_view s);

} // namespace sonde::output
