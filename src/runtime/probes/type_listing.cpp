#include "runtime/probes/type_listing.h"

#include "runtime/probes/wildcard.h"
#include "system/kernel_btf.h"

#include <bpf/btf.h>
#include <cstdarg>
#include <cstdio>
#include <map>
#include <sstream>

namespace sonde::probes {

namespace {

struct TypeKeyword {
  std::string_view word;
  int kinds[2];
};

constexpr TypeKeyword kKeywords[] = {{"struct", {BTF_KIND_STRUCT, BTF_KIND_STRUCT}},
                                     {"union", {BTF_KIND_UNION, BTF_KIND_UNION}},
                                     {"enum", {BTF_KIND_ENUM, BTF_KIND_ENUM64}}};

const TypeKeyword *keyword_of(std::string_view pattern) {
  for (const TypeKeyword &keyword : kKeywords)
    if (pattern.size() > keyword.word.size() + 1 && pattern.starts_with(keyword.word) &&
        pattern[keyword.word.size()] == ' ')
      return &keyword;
  return nullptr;
}

// The definition of type `id` alone: btf_dump writes the types it needs
// first, the type itself last.
std::string definition(const btf *types, uint32_t id, const std::string &header) {
  std::string text;
  btf_dump *dump = btf_dump__new(types, system::append_btf_dump_text, &text, nullptr);
  if (!dump)
    return "";
  int failed = btf_dump__dump_type(dump, id);
  btf_dump__free(dump);
  if (failed)
    return "";
  size_t start = text.starts_with(header) ? 0 : text.rfind("\n" + header);
  if (start == std::string::npos)
    return "";
  return text.substr(start == 0 ? 0 : start + 1);
}

} // namespace

bool is_type_pattern(std::string_view pattern) { return keyword_of(pattern) != nullptr; }

std::vector<ListedProbe> list_types(std::string_view pattern, bool verbose) {
  const TypeKeyword *keyword = keyword_of(pattern);
  if (!keyword)
    return {};
  std::string name_pattern(pattern.substr(keyword->word.size() + 1));
  // By name, the first definition found (vmlinux's before the modules').
  std::map<std::string, std::pair<const btf *, uint32_t>> found;
  system::KernelBtf &kernel = system::KernelBtf::get();
  for (const std::string &module : kernel.modules()) {
    auto types = kernel.load(module);
    if (!types)
      continue;
    const btf *base = btf__base_btf(*types);
    uint32_t first = base ? btf__type_cnt(base) : 1;
    for (uint32_t id = first; id < btf__type_cnt(*types); id++) {
      const btf_type *type = btf__type_by_id(*types, id);
      int kind = btf_kind(type);
      if (kind != keyword->kinds[0] && kind != keyword->kinds[1])
        continue;
      const char *name = btf__name_by_offset(*types, type->name_off);
      if (name && *name && wildcard_match(name_pattern, name))
        found.try_emplace(name, *types, id);
    }
  }
  std::vector<ListedProbe> listed;
  for (const auto &[name, where] : found) {
    std::string header = std::string(keyword->word) + " " + name;
    if (!verbose) {
      listed.push_back({header, {}});
      continue;
    }
    std::istringstream lines(definition(where.first, where.second, header + " {"));
    ListedProbe probe;
    if (!std::getline(lines, probe.text))
      continue;
    for (std::string line; std::getline(lines, line);)
      probe.details.push_back(line);
    while (!probe.details.empty() && probe.details.back().empty())
      probe.details.pop_back();
    probe.details.push_back("");
    listed.push_back(std::move(probe));
  }
  return listed;
}

} // namespace sonde::probes
