// libFuzzer target over the lexer, parser and AST printer: any input must end
// in either a program or diagnostics, never a crash, hang or leak.

#include "ast/printer.h"
#include "parser/parser.h"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sonde::Source source{"fuzz", std::string(reinterpret_cast<const char *>(data), size)};
  sonde::Diagnostics diags(source);
  sonde::parser::ParseOptions options;
  options.params = {"1", "/bin/true"};
  auto program = sonde::parser::parse(source, diags, options);

  // A program comes back exactly when there are no errors.
  if ((program != nullptr) == diags.has_errors())
    __builtin_trap();
  std::ostringstream out;
  if (program)
    sonde::ast::print(*program, out);
  diags.render(out);
  return 0;
}
