#pragma once

// State shared by the generated lexer and parser of one parse() call: where
// the scanner is in the text, the lexical mode it cannot derive from a regular
// expression alone, and where results and errors go.

#include "ast/ast.h"
#include "common/diagnostics.h"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace sonde::parser::detail {

struct ParseState {
  ParseState(const Source &source, int source_id, Diagnostics &diags,
             const std::vector<std::string> &params)
      : source(source), source_id(source_id), diags(diags), params(params) {
    token.source = source_id;
  }

  const Source &source;
  int source_id; // what locations in it carry as their `source`
  Diagnostics &diags;
  const std::vector<std::string> &params;
  void *scanner = nullptr; // the reentrant flex scanner (yyscan_t)
  std::unique_ptr<ast::Program> program = std::make_unique<ast::Program>();

  // Position just past the last matched text, and the range of that match.
  int line = 1;
  int col = 1;
  size_t offset = 0;
  ast::Location token;
  size_t token_offset = 0;

  // The start of a token that spans several matches (strings, comments, C
  // definitions).
  ast::Location mark;
  size_t mark_offset = 0;

  // Brace depth inside a probe body, config block or macro; at depth 0 the
  // scanner reads attach points.
  int brace_depth = 0;
  // Inside a top-level `let @m = …;` or `import "…";`, which ends at its `;`.
  bool in_map_decl = false;
  // Whether a probe, macro or map declaration was read: imports come before.
  bool seen_body = false;
  // Brace depth inside a C definition.
  int c_braces = 0;
  // Tokens since the last `;`, `{` or `}` (see next_token).
  int statement_tokens = 0;
  // By brace depth: the `else if` branches of the if-chain being read there,
  // each one level deeper in the tree (see next_token).
  std::vector<int> else_ifs;
  int previous_token = -1; // its Parser::symbol_kind
  std::string string_value;
  // Set when the parse gives up early; later errors would only be noise.
  bool stopped = false;
  int errors = 0;

  // Moves past `text`, recording its range in `token`.
  void advance(const char *text, size_t length) {
    token.begin_line = line;
    token.begin_col = col;
    token_offset = offset;
    for (size_t i = 0; i < length; i++) {
      if (text[i] == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    offset += length;
    token.end_line = line;
    token.end_col = col;
  }

  void set_mark() {
    mark = token;
    mark_offset = token_offset;
  }

  // From the mark to the end of the current match.
  ast::Location marked() const {
    return {mark.begin_line, mark.begin_col, token.end_line, token.end_col, source_id};
  }

  // Where end of file is reported: just past the last non-blank character, so
  // that the message can show that line.
  ast::Location end_of_file() const {
    const std::string &text = source.text;
    size_t end = text.find_last_not_of(" \t\r\n\f\v");
    end = end == std::string::npos ? 0 : end + 1;
    int l = 1, c = 1;
    for (size_t i = 0; i < end; i++) {
      if (text[i] == '\n') {
        l++;
        c = 1;
      } else {
        c++;
      }
    }
    return {l, c, l, c, source_id};
  }

  // From the mark to the start of the current match, for a token cut short
  // by a newline.
  ast::Location marked_before() const {
    return {mark.begin_line, mark.begin_col, token.begin_line, token.begin_col, source_id};
  }

  // Past this many errors the rest are most likely consequences of the first.
  static constexpr int kMaxErrors = 20;

  void error(const ast::Location &loc, std::string message) {
    if (stopped)
      return;
    diags.error(loc, std::move(message));
    if (++errors == kMaxErrors) {
      diags.error(loc, "too many errors, giving up");
      stopped = true;
    }
  }
};

} // namespace sonde::parser::detail
