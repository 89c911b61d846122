#pragma once

// Actions of grammar/lexer.l that are more than a line.

#include "parser.tab.hh"

namespace sonde::parser::detail {

// An attach point with its `$N` replaced by positional parameter N.
std::string substitute_params(ParseState &ps, const char *text);

// `$N` in an expression.
Parser::symbol_type positional_param(ParseState &ps, const char *text);

// The C definition that started at the mark, verbatim.
Parser::symbol_type c_definition(ParseState &ps);

// `\ooo` and `\n`-style escapes inside a string literal.
void octal_escape(ParseState &ps, const char *text);
void simple_escape(ParseState &ps, const char *text);

void invalid_character(ParseState &ps, const char *text);

} // namespace sonde::parser::detail
