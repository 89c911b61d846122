#pragma once

// Located messages for the user: `file:line:col-col: ERROR: message`, then the
// source line and a `~~~` underline of the range, then an optional HINT line.

#include "ast/location.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace sonde {

// A script and the name it is reported under ("stdin" for -e).
struct Source {
  std::string name;
  std::string text;
};

enum class Severity { Error, Warning };

struct Diagnostic {
  Severity severity;
  ast::Location loc;
  std::string message;
  std::string hint; // empty when there is none
};

// Line `line` (from 1) of `text`, without its newline; "" past the end.
std::string source_line(const std::string &text, int line);

// One diagnostic of `source_name`, whose line `d.loc.begin_line` is
// `line_text`: what Diagnostics::render writes for each (the run-time
// messages of a script, which carry their line, are written alike).
void render_diagnostic(std::ostream &out, const std::string &source_name,
                       const std::string &line_text, const Diagnostic &d, bool color = false);

class Diagnostics {
public:
  // Without `show_warnings` (--no-warnings), warnings are dropped.
  explicit Diagnostics(const Source &source, bool show_warnings = true)
      : source_(source), show_warnings_(show_warnings) {}

  void error(const ast::Location &loc, std::string message, std::string hint = "");
  void warning(const ast::Location &loc, std::string message, std::string hint = "");

  bool has_errors() const;
  const Source &source() const { return source_; }
  const std::vector<Diagnostic> &all() const { return diagnostics_; }

  // Errors first, then warnings, each in the order they were reported;
  // with `color`, the labels and underlines in terminal colours.
  void render(std::ostream &out, bool color = false) const;
  std::string render() const;

private:
  void add(Diagnostic d);

  const Source &source_;
  bool show_warnings_;
  std::vector<Diagnostic> diagnostics_;
};

} // namespace sonde
