#pragma once

// Shared helpers of the parser tests.

#include "ast/printer.h"
#include "parser/parser.h"

#include <sstream>
#include <string>
#include <vector>

namespace sonde::parser::testing {

// The printed AST of `text`, or the rendered diagnostics when it fails.
inline std::string parse_to_text(const std::string &text, std::vector<std::string> params = {}) {
  Source source{"stdin", text};
  Diagnostics diags(source);
  ParseOptions options;
  options.params = std::move(params);
  auto program = parse(source, diags, options);
  if (!program)
    return diags.render();
  std::ostringstream out;
  ast::print(*program, out);
  return out.str();
}

// The rendered diagnostics of `text` (empty when it parses).
inline std::string parse_errors(const std::string &text) {
  Source source{"stdin", text};
  Diagnostics diags(source);
  parse(source, diags);
  return diags.render();
}

} // namespace sonde::parser::testing
