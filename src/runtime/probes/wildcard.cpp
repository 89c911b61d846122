#include "runtime/probes/wildcard.h"

namespace sonde::probes {

bool has_wildcard(std::string_view pattern) { return pattern.find('*') != std::string_view::npos; }

// Greedy matching with one backtrack point: the last `*` seen. Linear in
// practice and never recursive, whatever the pattern.
bool wildcard_match(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0;
  size_t star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      p++;
      t++;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    p++;
  return p == pattern.size();
}

namespace {

std::string joined(const std::vector<std::string> &fields) {
  std::string text;
  for (size_t i = 0; i < fields.size(); i++)
    text += (i ? ":" : "") + fields[i];
  return text;
}

} // namespace

bool fields_match(const std::vector<std::string> &pattern, const std::vector<std::string> &fields) {
  return pattern.empty() || wildcard_match(joined(pattern), joined(fields));
}

} // namespace sonde::probes
