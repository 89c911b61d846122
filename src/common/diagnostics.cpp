#include "common/diagnostics.h"

#include <algorithm>
#include <ostream>
#include <sstream>
#include <string_view>

namespace sonde {

namespace {

bool is_control(char c) {
  return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == '\x7f';
}

// Control bytes of the script (an escape sequence, a carriage return) are
// shown as \xNN, never sent to the terminal; a message keeps its newlines.
std::string escaped(std::string_view text, bool keep_newlines = false) {
  std::string out;
  for (char c : text) {
    if (is_control(c) && !(keep_newlines && c == '\n')) {
      static const char digits[] = "0123456789abcdef";
      auto byte = static_cast<unsigned char>(c);
      out += {'\\', 'x', digits[byte >> 4], digits[byte & 0xf]};
    } else {
      out += c;
    }
  }
  return out;
}

// How many columns byte `c` of a source line takes once escaped.
int shown_width(char c) { return is_control(c) ? 4 : 1; }

std::string position(const ast::Location &loc) {
  if (loc.begin_line != loc.end_line)
    return std::to_string(loc.begin_line) + "-" + std::to_string(loc.end_line);
  std::string s = std::to_string(loc.begin_line) + ":" + std::to_string(loc.begin_col);
  if (loc.end_col > loc.begin_col + 1)
    s += "-" + std::to_string(loc.end_col);
  return s;
}

} // namespace

int Diagnostics::add_source(Source source) {
  imported_.push_back(std::move(source));
  return static_cast<int>(imported_.size());
}

int Diagnostics::find_source(const std::string &name) const {
  if (name == source_.name)
    return 0;
  for (size_t i = 0; i < imported_.size(); i++)
    if (imported_[i].name == name)
      return static_cast<int>(i + 1);
  return -1;
}

Diagnostics Diagnostics::with_same_sources(bool show_warnings) const {
  Diagnostics copy(source_, show_warnings);
  copy.imported_ = imported_;
  return copy;
}

void Diagnostics::error(const ast::Location &loc, std::string message, std::string hint) {
  add({Severity::Error, loc, std::move(message), std::move(hint)});
}

void Diagnostics::warning(const ast::Location &loc, std::string message, std::string hint) {
  if (show_warnings_)
    add({Severity::Warning, loc, std::move(message), std::move(hint)});
}

namespace {

// Whether `inner` lies within `outer` and is smaller.
bool strictly_within(const ast::Location &inner, const ast::Location &outer) {
  auto before = [](int line_a, int col_a, int line_b, int col_b) {
    return line_a < line_b || (line_a == line_b && col_a <= col_b);
  };
  bool within = before(outer.begin_line, outer.begin_col, inner.begin_line, inner.begin_col) &&
                before(inner.end_line, inner.end_col, outer.end_line, outer.end_col);
  bool same = inner.begin_line == outer.begin_line && inner.begin_col == outer.begin_col &&
              inner.end_line == outer.end_line && inner.end_col == outer.end_col;
  return within && !same;
}

} // namespace

// A check that runs once per program of a probe reports each finding once.
// An error around a part already in error is that error's consequence
// (`cout().x`: the field of an unknown call's stand-in value): one mistake,
// one report.
void Diagnostics::add(Diagnostic d) {
  for (const auto &e : diagnostics_) {
    if (e.severity == d.severity && e.message == d.message &&
        e.loc.begin_line == d.loc.begin_line && e.loc.begin_col == d.loc.begin_col &&
        e.loc.source == d.loc.source)
      return;
    if (d.severity == Severity::Error && e.severity == Severity::Error &&
        strictly_within(e.loc, d.loc))
      return;
  }
  diagnostics_.push_back(std::move(d));
}

bool Diagnostics::has_errors() const {
  return std::any_of(diagnostics_.begin(), diagnostics_.end(),
                     [](const Diagnostic &d) { return d.severity == Severity::Error; });
}

std::string source_line(const std::string &text, int line) {
  size_t start = 0;
  for (int i = 1; i < line; i++) {
    start = text.find('\n', start);
    if (start == std::string::npos)
      return "";
    start++;
  }
  size_t end = text.find('\n', start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

void render_diagnostic(std::ostream &out, const std::string &source_name, const std::string &line,
                       const Diagnostic &d, bool color) {
  auto paint = [color](const char *code, const std::string &text) {
    return color ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
  };
  out << escaped(source_name) << ":" << position(d.loc) << ": "
      << (d.severity == Severity::Error ? paint("1;31", "ERROR:") : paint("1;35", "WARNING:"))
      << " " << escaped(d.message, true) << "\n";
  if (!line.empty()) {
    out << escaped(line) << "\n";
    int begin = std::max(d.loc.begin_col, 1);
    int end =
        d.loc.end_line == d.loc.begin_line ? d.loc.end_col : static_cast<int>(line.size()) + 1;
    end = std::max(end, begin + 1);
    auto byte = [&](int c) { return c - 1 < static_cast<int>(line.size()) ? line[c - 1] : ' '; };
    // Keep tabs so the underline lines up with the source line above it.
    std::string underline, marks;
    for (int c = 1; c < begin; c++)
      underline += byte(c) == '\t' ? std::string(1, '\t') : std::string(shown_width(byte(c)), ' ');
    for (int c = begin; c < end; c++)
      marks += std::string(shown_width(byte(c)), '~');
    out << underline << paint("1;32", marks) << "\n";
  }
  if (!d.hint.empty())
    out << paint("1;36", "HINT:") << " " << escaped(d.hint, true) << "\n";
}

void Diagnostics::render(std::ostream &out, bool color) const {
  for (Severity pass : {Severity::Error, Severity::Warning})
    for (const auto &d : diagnostics_)
      if (d.severity == pass) {
        const Source &file = source(d.loc.source);
        render_diagnostic(out, file.name, source_line(file.text, d.loc.begin_line), d, color);
      }
}

std::string Diagnostics::render() const {
  std::ostringstream out;
  render(out);
  return out.str();
}

} // namespace sonde
