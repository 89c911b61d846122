#include "sema/license.h"

#include <algorithm>
#include <sstream>
#include <vector>

namespace sonde::sema {

namespace {

constexpr const char *kCompatible[] = {"GPL",          "GPL v2",       "GPL and additional rights",
                                       "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL"};

constexpr std::string_view kSpdxTag = "SPDX-License-Identifier:";

// The license identifiers of an SPDX expression, without its operators and
// parentheses.
std::vector<std::string> spdx_terms(const std::string &expression) {
  std::string spaced;
  for (char c : expression)
    spaced += c == '(' || c == ')' ? ' ' : c;
  std::istringstream words(spaced);
  std::vector<std::string> terms;
  for (std::string word; words >> word;)
    if (word != "AND" && word != "OR" && word != "WITH")
      terms.push_back(word);
  return terms;
}

std::string kernel_license(const std::string &expression) {
  auto terms = spdx_terms(expression);
  auto any = [&](std::string_view prefix) {
    return std::any_of(terms.begin(), terms.end(),
                       [&](const std::string &t) { return t.starts_with(prefix); });
  };
  if (!any("GPL-") && std::find(terms.begin(), terms.end(), "GPL") == terms.end())
    return "";
  if (expression.find(" OR ") != std::string::npos) {
    if (any("BSD-"))
      return "Dual BSD/GPL";
    if (any("MIT"))
      return "Dual MIT/GPL";
    if (any("MPL-"))
      return "Dual MPL/GPL";
  }
  return "GPL";
}

} // namespace

bool gpl_compatible(const std::string &license) {
  return std::find(std::begin(kCompatible), std::end(kCompatible), license) !=
         std::end(kCompatible);
}

std::string non_gpl_license_error(const std::string &license) {
  return "Your bpftrace program cannot load because you are using a license that is non-GPL "
         "compatible. License: " +
         license;
}

std::optional<SpdxLicense> find_spdx_license(const std::string &source_text) {
  std::istringstream lines(source_text);
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    number++;
    size_t tag = line.find(kSpdxTag);
    size_t comment = line.find("//");
    if (comment == std::string::npos)
      comment = line.find("/*");
    if (tag == std::string::npos || comment == std::string::npos || comment > tag)
      continue;
    size_t begin = line.find_first_not_of(" \t", tag + kSpdxTag.size());
    if (begin == std::string::npos)
      continue;
    size_t end = line.find("*/", begin);
    std::string expression = line.substr(begin, end == std::string::npos ? end : end - begin);
    while (!expression.empty() &&
           (expression.back() == ' ' || expression.back() == '\t' || expression.back() == '\r'))
      expression.pop_back();
    SpdxLicense spdx;
    spdx.loc = {number, static_cast<int>(begin) + 1, number,
                static_cast<int>(begin + expression.size()) + 1};
    spdx.expression = expression;
    spdx.license = kernel_license(expression);
    return spdx;
  }
  return std::nullopt;
}

} // namespace sonde::sema
