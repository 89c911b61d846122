// The argument strings of SystemTap SDT notes, as GCC and Clang write them
// for x86-64 (the `asm` operand of each argument, prefixed with its size:
// a negative size means signed).

#include "common/literals.h"
#include "common/registers.h"
#include "runtime/probes/usdt.h"

#include <charconv>
#include <sstream>

namespace sonde::probes {

namespace {

// A decimal or 0x-hexadecimal integer, optionally negative.
bool parse_integer(std::string_view text, int64_t &value) {
  bool negative = text.starts_with('-');
  if (negative)
    text.remove_prefix(1);
  auto magnitude = parse_address(text);
  if (!magnitude)
    return false;
  value = negative ? -static_cast<int64_t>(*magnitude) : static_cast<int64_t>(*magnitude);
  return true;
}

Error unsupported(std::string_view spec, std::string_view why) {
  return error("cannot read usdt argument '" + std::string(spec) + "': " + std::string(why));
}

Expected<const PtRegsRegister *> register_named(std::string_view spec, std::string_view name) {
  if (!name.starts_with('%'))
    return unsupported(spec, "expected a register");
  const PtRegsRegister *reg = find_register(name.substr(1));
  if (!reg)
    return unsupported(spec, "unknown register");
  if (reg == &instruction_pointer())
    return unsupported(spec, "%rip-relative operands are not supported");
  return reg;
}

// Inside the parentheses of `disp(base[,index[,scale]])`, where the base
// may be left out when there is an index: `(,%rax,8)`.
Expected<UsdtArgument> memory_operand(std::string_view spec, std::string_view inside,
                                      UsdtArgument argument) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t comma = inside.find(',', start);
    parts.push_back(inside.substr(start, comma - start));
    if (comma == std::string_view::npos)
      break;
    start = comma + 1;
  }
  if (parts.size() > 3)
    return unsupported(spec, "more than base, index and scale");
  if (!parts[0].empty() || parts.size() == 1) {
    auto base = register_named(spec, parts[0]);
    if (!base)
      return error(base.error());
    argument.register_name = std::string((*base)->name);
    argument.register_offset = (*base)->offset;
  }
  if (parts.size() == 1)
    return argument;
  auto index = register_named(spec, parts[1]);
  if (!index)
    return error(index.error());
  argument.index_register_name = std::string((*index)->name);
  argument.index_register_offset = (*index)->offset;
  int64_t scale = 1;
  if (parts.size() == 3 && !parse_integer(parts[2], scale))
    return unsupported(spec, "the scale is not a number");
  if (scale != 1 && scale != 2 && scale != 4 && scale != 8)
    return unsupported(spec, "the scale is not 1, 2, 4 or 8");
  argument.scale = static_cast<uint32_t>(scale);
  return argument;
}

Expected<UsdtArgument> parse_argument(std::string_view spec) {
  UsdtArgument argument;
  size_t at = spec.find('@');
  if (at == std::string_view::npos)
    return unsupported(spec, "no size before '@'");
  int64_t size = 0;
  if (!parse_integer(spec.substr(0, at), size))
    return unsupported(spec, "bad size");
  argument.is_signed = size < 0;
  argument.size = static_cast<uint32_t>(size < 0 ? -size : size);
  if (argument.size != 1 && argument.size != 2 && argument.size != 4 && argument.size != 8)
    return unsupported(spec, "size is not 1, 2, 4 or 8");
  std::string_view operand = spec.substr(at + 1);

  if (operand.starts_with('$')) {
    argument.kind = UsdtArgumentKind::Constant;
    if (!parse_integer(operand.substr(1), argument.value))
      return unsupported(spec, "constant is not an integer");
    return argument;
  }
  if (size_t open = operand.find('('); open != std::string_view::npos) {
    if (!operand.ends_with(')'))
      return unsupported(spec, "unbalanced parentheses");
    std::string_view displacement = operand.substr(0, open);
    if (!displacement.empty() && !parse_integer(displacement, argument.value))
      return unsupported(spec, "the displacement is a symbol, not a number");
    argument.kind = UsdtArgumentKind::Memory;
    return memory_operand(spec, operand.substr(open + 1, operand.size() - open - 2), argument);
  }
  argument.kind = UsdtArgumentKind::Register;
  auto reg = register_named(spec, operand);
  if (!reg)
    return error(reg.error());
  argument.register_name = std::string((*reg)->name);
  argument.register_offset = (*reg)->offset;
  return argument;
}

} // namespace

Expected<std::vector<UsdtArgument>> parse_usdt_arguments(std::string_view text) {
  std::vector<UsdtArgument> arguments;
  std::istringstream words{std::string(text)};
  std::string word;
  while (words >> word) {
    auto argument = parse_argument(word);
    if (!argument)
      return error(argument.error());
    arguments.push_back(std::move(*argument));
  }
  return arguments;
}

std::string usdt_sites_field(const std::vector<size_t> &sites) {
  std::string field;
  for (size_t site : sites)
    field += (field.empty() ? "" : ",") + std::to_string(site);
  return field;
}

Expected<std::vector<size_t>> parse_usdt_sites_field(const std::string &field, size_t site_count) {
  std::vector<size_t> sites;
  std::istringstream parts(field);
  std::string part;
  while (std::getline(parts, part, ',')) {
    size_t site = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), site);
    if (ec != std::errc() || end != part.data() + part.size() || part.empty() || site >= site_count)
      return error("invalid usdt site list '" + field + "' for a probe with " +
                   std::to_string(site_count) + " sites");
    sites.push_back(site);
  }
  if (sites.empty())
    return error("empty usdt site list");
  return sites;
}

} // namespace sonde::probes
