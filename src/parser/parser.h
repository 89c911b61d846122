#pragma once

#include "ast/ast.h"
#include "common/diagnostics.h"

#include <memory>
#include <string>
#include <vector>

namespace sonde::parser {

struct ParseOptions {
  // Positional parameters `$1 …`, substituted into attach points at parse time.
  std::vector<std::string> params;
  // The id `diags` knows the source by (Diagnostics::add_source); 0 for the
  // script itself.
  int source_id = 0;
};

// Parses a whole script. On a syntax or lexical error the errors are in
// `diags` and the result is null; otherwise `diags` is untouched.
//
// Attach points keep their text as written (quotes included, e.g.
// `uprobe:"/a b/c":fn`), except that each `$N` in them is replaced by
// `options.params[N-1]` (an error when that parameter was not given).
// Integer literals arrive decoded (durations in nanoseconds), string literals
// with their escapes decoded. `sizeof`/`offsetof` are Calls whose type
// argument is a TypeExpr. `(name)expr` with a plain name is a Cast to that
// name; sema decides whether the name is a type.
std::unique_ptr<ast::Program> parse(const Source &source, Diagnostics &diags,
                                    const ParseOptions &options = {});

} // namespace sonde::parser
