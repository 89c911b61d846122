#pragma once

// The tokens of a script as `--fmt` needs them: unlike the Flex lexer, this
// one keeps comments, C definitions and the line breaks between tokens, so
// the formatter can lay the script out again without losing any of them.

#include <string>
#include <vector>

namespace sonde::cli::fmt {

enum class TokenKind {
  Word,          // identifier, keyword, $var, @map, number
  String,        // "…" or '…', as written
  Punct,         // operator or bracket
  LineComment,   // // … (without the newline)
  BlockComment,  // /* … */
  Verbatim,      // a `#` line or a top-level C definition, as written
  AttachPoint,   // one attach point of a probe, as written
  PredicateOpen, // the `/` opening a predicate
  PredicateClose,
};

struct Token {
  TokenKind kind;
  std::string text;
  int newlines_before = 0; // line breaks between the previous token and this one
};

// The tokens of `source`. Text it cannot place (an unterminated string or
// comment) ends up in a token as it is; the parse check after formatting is
// what refuses bad input.
std::vector<Token> tokenize(const std::string &source);

} // namespace sonde::cli::fmt
