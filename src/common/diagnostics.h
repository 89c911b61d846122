#pragma once

// Located messages for the user: `file:line:col-col: ERROR: message`, then the
// source line and a `~~~` underline of the range, then an optional HINT line.

#include "ast/location.h"

#include <deque>
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

  // A file the script imports; locations in it carry the id returned.
  int add_source(Source source);
  // The script (0) or an imported file.
  const Source &source(int id) const { return id == 0 ? source_ : imported_.at(id - 1); }
  // The id of the file named `name`; -1 when it is none of them.
  int find_source(const std::string &name) const;
  // Another Diagnostics, empty, that knows the same files (for a later stage).
  Diagnostics with_same_sources(bool show_warnings) const;

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
  std::deque<Source> imported_; // a deque: references to its items stay valid
  bool show_warnings_;
  std::vector<Diagnostic> diagnostics_;
};

} // namespace sonde
