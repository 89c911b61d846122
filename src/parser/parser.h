#pragma once

#include "ast/ast.h"
#include "parser/diagnostics.h"

#include <memory>
#include <string>
#include <vector>

namespace sonde::parser {

struct ParseOptions {
  // Positional parameters `$1 …`, substituted into attach points at parse time.
  std::vector<std::string> params;
};

// Parses a whole script. On a syntax error the errors are in `diags` and the
// result is null.
std::unique_ptr<ast::Program> parse(const Source &source, Diagnostics &diags,
                                    const ParseOptions &options = {});

} // namespace sonde::parser
