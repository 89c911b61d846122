#include "parser/parser.h"

#include "lexer.yy.hh"
#include "parser.tab.hh"
#include "parser/parse_state.h"

#include <stdexcept>

namespace sonde::parser {

std::unique_ptr<ast::Program> parse(const Source &source, Diagnostics &diags,
                                    const ParseOptions &options) {
  detail::ParseState state(source, options.source_id, diags, options.params);
  yyscan_t scanner;
  if (yylex_init(&scanner) != 0) {
    diags.error({}, "cannot start the lexer: out of memory");
    return nullptr;
  }
  state.scanner = scanner;
  try {
    yy_scan_bytes(source.text.data(), static_cast<int>(source.text.size()), scanner);
    detail::Parser parser(state);
    parser.parse();
  } catch (const std::exception &e) {
    diags.error(state.token, std::string("lexer failure: ") + e.what());
  }
  yylex_destroy(scanner);

  bool failed = diags.has_errors();
  if (failed)
    return nullptr;
  state.program->loc = {1, 1, state.line, state.col, options.source_id};
  return std::move(state.program);
}

} // namespace sonde::parser
