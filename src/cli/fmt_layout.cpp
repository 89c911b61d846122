#include "cli/fmt_layout.h"

#include "cli/fmt_tokenizer.h"

#include <regex>
#include <set>
#include <utility>

namespace sonde::cli::fmt {

namespace {

constexpr int kIndentWidth = 2;

bool is(const Token *t, const char *text) {
  return t && t->kind == TokenKind::Punct && t->text == text;
}

// Words after which `(` is the start of a condition, not a call.
bool is_keyword(const Token *t) {
  static const std::set<std::string> keywords = {"if", "while", "for", "return", "else"};
  return t && t->kind == TokenKind::Word && keywords.count(t->text);
}

// A token a value ends with: what follows it is a binary or postfix operator.
bool ends_value(const Token *t) {
  if (!t)
    return false;
  if (t->kind == TokenKind::Word)
    return !is_keyword(t);
  return t->kind == TokenKind::String || is(t, ")") || is(t, "]");
}

class Formatter {
public:
  explicit Formatter(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  std::string run() {
    for (size_t i = 0; i < tokens_.size(); ++i)
      place(i);
    flush();
    return out_;
  }

private:
  struct Open {
    std::string text;
    size_t column; // where continuation lines start
    size_t token;  // its index
  };

  std::vector<Token> tokens_;
  std::string out_;
  std::string line_;
  bool break_pending_ = false;
  bool glue_next_ = false; // the last token binds to the next one
  int depth_ = 0;
  std::vector<Open> opens_;
  const Token *prev_ = nullptr;
  bool after_cast_ = false; // prev_ closes a cast: `-`, `*`, `&` next are unary

  const Token *at(size_t i) const { return i < tokens_.size() ? &tokens_[i] : nullptr; }

  std::string indent() const {
    if (!opens_.empty())
      return std::string(opens_.back().column, ' ');
    return std::string(static_cast<size_t>(depth_ * kIndentWidth), ' ');
  }

  void flush() {
    if (line_.empty())
      return;
    while (!line_.empty() && line_.back() == ' ')
      line_.pop_back();
    out_ += line_ + "\n";
    line_.clear();
    break_pending_ = false;
  }

  // Starts `t` on a line of its own, after one blank line when the input
  // had at least one there.
  void new_line(const Token &t) {
    flush();
    if (t.newlines_before >= 2 && !out_.empty() && opens_.empty() && !is(&t, "}"))
      out_ += "\n";
    line_ = indent();
  }

  void place(size_t i) {
    const Token &t = tokens_[i];
    const Token *next = at(i + 1);
    bool same_line = t.newlines_before == 0 && !line_.empty();
    switch (t.kind) {
    case TokenKind::LineComment:
    case TokenKind::BlockComment:
      if (same_line) {
        line_ += " " + t.text;
      } else {
        new_line(t);
        line_ += t.text;
      }
      if (t.kind == TokenKind::LineComment || next == nullptr || next->newlines_before > 0)
        break_pending_ = true;
      glue_next_ = false;
      return; // comments are not the previous token for spacing
    case TokenKind::Verbatim:
      new_line(t);
      line_ = t.text;
      break_pending_ = true;
      break;
    case TokenKind::AttachPoint:
      if (line_.empty() || break_pending_)
        new_line(t);
      line_ += t.text;
      break;
    case TokenKind::PredicateOpen:
      new_line(t);
      line_ += "/";
      opens_.push_back({"/", line_.size(), i});
      glue_next_ = true;
      prev_ = &t;
      return;
    case TokenKind::PredicateClose:
      if (!opens_.empty())
        opens_.pop_back();
      line_ += "/";
      break_pending_ = true;
      break;
    default:
      code(i); // sets glue_next_ and prev_
      return;
    }
    glue_next_ = false;
    prev_ = &t;
  }

  void code(size_t i) {
    const Token &t = tokens_[i];
    const Token *next = at(i + 1);
    bool follows_cast = std::exchange(after_cast_, false);
    // A probe's, macro's or function's body starts on a line of its own,
    // unlike a config block's.
    bool body = depth_ == 0 && opens_.empty() && !is(prev_, "=");
    if (is(&t, "{") && body) {
      new_line(t);
      open_block();
      return;
    }
    if (is(&t, ",") && depth_ == 0 && opens_.empty()) {
      line_ += ",";
      break_pending_ = true;
      return;
    }
    if (is(&t, "}")) {
      if (depth_ > 0)
        --depth_;
      new_line(t);
      line_ += "}";
      bool joins = next && (next->text == "else" || is(next, ";"));
      break_pending_ = !joins;
      return;
    }
    if (is(&t, "{")) {
      if (line_.empty() || break_pending_)
        new_line(t);
      open_block();
      return;
    }
    bool unary = is_unary(t, follows_cast);
    // A record's `name=value` is written tight: `(color="green", size=2)`.
    bool record_field = is(&t, "=") && !opens_.empty() && opens_.back().text == "(" && i >= 2 &&
                        (is(at(i - 2), "(") || is(at(i - 2), ","));
    // `let $a: uint16`
    bool type_annotation = is(&t, ":") && i >= 2 && at(i - 2)->text == "let";
    if (line_.empty() || break_pending_) {
      new_line(t);
    } else if (t.newlines_before > 0 && !opens_.empty()) {
      flush();
      line_ = indent();
    } else if (!glue_next_ && !record_field && !type_annotation && space_before(t, next, unary)) {
      line_ += " ";
    }
    line_ += t.text;
    glue_next_ = record_field || binds_to_next(t, next, unary);
    if (is(&t, "(") || is(&t, "["))
      opens_.push_back({t.text, line_.size(), i});
    else if ((is(&t, ")") || is(&t, "]")) && !opens_.empty()) {
      size_t open = opens_.back().token;
      bool call = open > 0 && ends_value(&tokens_[open - 1]);
      after_cast_ = is(&t, ")") && !call && is_cast_type(open + 1, i);
      opens_.pop_back();
    } else if (is(&t, ";") && opens_.empty())
      break_pending_ = true;
    prev_ = &t;
  }

  void open_block() {
    if (line_.empty() || line_.find_first_not_of(' ') == std::string::npos)
      line_ = indent() + "{";
    else if (line_.back() != '{')
      line_ += " {";
    ++depth_;
    break_pending_ = true;
    glue_next_ = false;
  }

  bool is_unary(const Token &t, bool follows_cast) const {
    if (t.kind != TokenKind::Punct)
      return false;
    static const std::set<std::string> prefix = {"-", "+", "!", "~", "*", "&", "++", "--"};
    if (!prefix.count(t.text))
      return false;
    if (t.text == "!" || t.text == "~")
      return true;
    return line_.empty() || break_pending_ || follows_cast || !ends_value(prev_);
  }

  // Whether tokens [first, end) are a type: `struct sock *`, `uint64`.
  bool is_cast_type(size_t first, size_t end) const {
    if (first >= end)
      return false;
    for (size_t k = first; k < end; ++k)
      if (tokens_[k].kind != TokenKind::Word && !is(&tokens_[k], "*"))
        return false;
    static const std::regex integer("u?int(8|16|32|64)|bool|char|void");
    const std::string &head = tokens_[first].text;
    return head == "struct" || head == "union" || head == "enum" || is(&tokens_[end - 1], "*") ||
           (end - first == 1 && std::regex_match(head, integer));
  }

  // `*` that ends a pointer type in a cast: `(struct sock *)`, `(char **)`.
  static bool is_pointer_star(const Token &t, const Token *next) {
    return t.text == "*" && (is(next, ")") || is(next, "*"));
  }

  bool space_before(const Token &t, const Token *next, bool unary) const {
    static const std::set<std::string> tight_before = {",", ";", ")", "]", ".", "->", "..", "::"};
    if (t.kind == TokenKind::Punct && tight_before.count(t.text))
      return false;
    if ((t.text == "++" || t.text == "--") && !unary)
      return false;
    if (is(&t, "(") || is(&t, "["))
      return !(ends_value(prev_) && (prev_->kind != TokenKind::String || t.text == "["));
    if (is(&t, "*") && is(prev_, "*") && is_pointer_star(t, next))
      return false;
    // A cast binds to its operand.
    if (is(prev_, ")") && (t.kind != TokenKind::Punct || unary || is(&t, "(")))
      return t.kind == TokenKind::Word && is_keyword(&t);
    return true;
  }

  static bool binds_to_next(const Token &t, const Token *next, bool unary) {
    static const std::set<std::string> tight_after = {"(", "[", ".", "->", "..", "::"};
    if (t.kind != TokenKind::Punct)
      return false;
    return tight_after.count(t.text) || unary || is_pointer_star(t, next);
  }
};

} // namespace

std::string format_script(const std::string &source) { return Formatter(tokenize(source)).run(); }

} // namespace sonde::cli::fmt
