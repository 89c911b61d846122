#pragma once

// `sonde --fmt`: a script in the standard layout, the one bpftrace 0.26's
// tools are written in. Works on format::tokenize's tokens, so comments,
// C definitions and blank lines survive; it does not check that the result
// still means the same program (cli/fmt_command does).

#include <string>

namespace sonde::cli::fmt {

std::string format_script(const std::string &source);

} // namespace sonde::cli::fmt
