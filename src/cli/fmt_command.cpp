#include "cli/fmt_command.h"

#include "cli/color.h"
#include "cli/fmt_layout.h"
#include "cli/trace.h"

#include "ast/printer.h"
#include "parser/parser.h"

#include <iostream>
#include <optional>
#include <sstream>

namespace sonde::cli {

namespace {

// The `--emit ast` form of `source`, or nothing when it does not parse
// (with the errors in `diags`).
std::optional<std::string> ast_text(const Source &source, Diagnostics &diags,
                                    const std::vector<std::string> &params) {
  parser::ParseOptions options;
  options.params = params;
  auto program = parser::parse(source, diags, options);
  if (!program || diags.has_errors())
    return std::nullopt;
  std::ostringstream out;
  ast::print(*program, out);
  return out.str();
}

// The first line where `a` and `b` differ, with its number.
std::string first_difference(const std::string &a, const std::string &b) {
  std::istringstream in_a(a), in_b(b);
  std::string line_a, line_b;
  for (int number = 1;; ++number) {
    bool more_a = static_cast<bool>(std::getline(in_a, line_a));
    bool more_b = static_cast<bool>(std::getline(in_b, line_b));
    if (!more_a && !more_b)
      return "";
    if (!more_a || !more_b || line_a != line_b)
      return "AST line " + std::to_string(number) + ": '" + (more_a ? line_a : "") + "' became '" +
             (more_b ? line_b : "") + "'";
  }
}

} // namespace

int format_source(const Source &source, const std::vector<std::string> &params) {
  Diagnostics diags(source, true);
  auto before = ast_text(source, diags, params);
  if (!before) {
    diags.render(std::cerr, stderr_color());
    return 1;
  }
  Source formatted{source.name, fmt::format_script(source.text)};
  Diagnostics formatted_diags(formatted, true);
  auto after = ast_text(formatted, formatted_diags, params);
  if (!after || *after != *before) {
    std::cerr << error_label() << "internal error: --fmt would change the program of "
              << source.name << " ("
              << (after ? first_difference(*before, *after) : "the formatted text does not parse")
              << "); nothing was printed\n";
    if (!after)
      formatted_diags.render(std::cerr, stderr_color());
    return 1;
  }
  std::cout << formatted.text;
  return 0;
}

} // namespace sonde::cli
