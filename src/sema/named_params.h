#pragma once

// Named parameters for getopt(): words after the script of the form
// `--name=value`, or `--name` alone (a flag).

#include "ast/ast.h"

#include <optional>
#include <string>
#include <vector>

namespace sonde::sema {

// The value given for `name`: "" for a bare flag, nothing when not given.
std::optional<std::string> named_param(const std::vector<std::string> &params,
                                       const std::string &name);

// A value read as a bool: "" (a bare flag), 1 or true is true; 0 or false is
// false (either case); anything else is nothing.
std::optional<bool> named_param_bool(const std::string &value);

// A named parameter a getopt() call reads, as `-- --help` lists it.
struct NamedOption {
  std::string name;
  std::string value_kind;    // "" for a flag, else "INT" or "STRING"
  std::string default_value; // as written: "35", "hello", "false"
  std::string description;   // getopt's third argument, or ""
};

// The names of the parameters no getopt() call of `program` reads, and the
// options it reads, each once, in order.
struct NamedParamUse {
  std::vector<std::string> unread;
  std::vector<NamedOption> read;
};
NamedParamUse named_param_use(ast::Program &program, const std::vector<std::string> &params);

} // namespace sonde::sema
