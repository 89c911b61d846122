#include "sema/builtins.h"

#include "types/format_string.h"

namespace sonde::sema {

void check_printf_format(TypeChecker &tc, const ast::StringLiteral &format,
                         const std::vector<types::TypePtr> &args, const ast::Call &call) {
  auto parsed = types::parse_format_string(format.value);
  if (auto *err = std::get_if<types::FormatError>(&parsed)) {
    tc.error(format.loc, call.name + ": " + err->message);
    return;
  }
  auto mismatch =
      types::check_format_args(call.name, format.value, std::get<types::FormatString>(parsed), args);
  if (!mismatch)
    return;
  const ast::Location &loc =
      mismatch->arg_index ? call.args[*mismatch->arg_index + 1]->loc : call.loc;
  tc.error(loc, mismatch->message);
}

} // namespace sonde::sema
