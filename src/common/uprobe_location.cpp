#include "common/uprobe_location.h"

#include "common/literals.h"

namespace sonde {

Expected<UprobeLocation> parse_uprobe_location(const std::string &field) {
  UprobeLocation location;
  bool decimal = !field.empty() && field.find_first_not_of("0123456789") == std::string::npos;
  if (field.starts_with("0x") || field.starts_with("0X") || decimal) {
    auto address = parse_address(field);
    if (!address)
      return error("invalid uprobe address '" + field + "'");
    location.offset = *address;
    location.is_address = true;
    return location;
  }
  size_t plus = field.rfind('+');
  location.symbol = field.substr(0, plus);
  if (plus != std::string::npos) {
    auto offset = parse_address(std::string_view(field).substr(plus + 1));
    if (!offset)
      return error("invalid offset in '" + field + "': expected <function>+<number>");
    location.offset = *offset;
  }
  return location;
}

} // namespace sonde
