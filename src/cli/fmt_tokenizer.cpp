#include "cli/fmt_tokenizer.h"

#include <cctype>

namespace sonde::cli::fmt {

namespace {

const char *const kOperators[] = {
    "<<=", ">>=", "...", "..", "->", "++", "--", "==", "!=", "<=", ">=", "&&", "||",
    "<<",  ">>",  "+=",  "-=", "*=", "/=", "%=", "&=", "|=", "^=", "::", "?:"};

bool is_word_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '@';
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

class Tokenizer {
public:
  explicit Tokenizer(const std::string &source) : s_(source) {}

  std::vector<Token> run() {
    while (skip_space())
      top_level_item();
    return std::move(out_);
  }

private:
  const std::string &s_;
  size_t pos_ = 0;
  int newlines_ = 0;
  std::vector<Token> out_;

  bool at_end() const { return pos_ >= s_.size(); }
  char peek(size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }

  void emit(TokenKind kind, size_t start) {
    out_.push_back({kind, s_.substr(start, pos_ - start), newlines_});
    newlines_ = 0;
  }

  // Skips blanks, emitting the comments among them; false at the end.
  bool skip_space() {
    while (!at_end()) {
      char c = peek();
      if (c == '\n') {
        ++newlines_;
        ++pos_;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        ++pos_;
      } else if (c == '/' && peek(1) == '/') {
        size_t start = pos_;
        while (!at_end() && peek() != '\n')
          ++pos_;
        emit(TokenKind::LineComment, start);
      } else if (c == '/' && peek(1) == '*') {
        size_t start = pos_;
        size_t end = s_.find("*/", pos_ + 2);
        pos_ = end == std::string::npos ? s_.size() : end + 2;
        emit(TokenKind::BlockComment, start);
      } else {
        return true;
      }
    }
    return false;
  }

  std::string next_word() const {
    size_t end = pos_;
    while (end < s_.size() && is_word_char(s_[end]))
      ++end;
    return s_.substr(pos_, end - pos_);
  }

  void quoted(char quote) {
    ++pos_;
    while (!at_end() && peek() != quote) {
      if (peek() == '\\')
        ++pos_;
      if (peek() == '\n')
        ++newlines_;
      ++pos_;
    }
    if (!at_end())
      ++pos_;
  }

  // One token of code (not a comment or blank); returns its text.
  const std::string &code_token() {
    size_t start = pos_;
    char c = peek();
    if (c == '"' || c == '\'') {
      quoted(c);
      emit(TokenKind::String, start);
    } else if (is_word_start(c) || std::isdigit(static_cast<unsigned char>(c))) {
      ++pos_;
      if (c == '$' && peek() == '#') // the number of positional parameters
        ++pos_;
      while (!at_end() && is_word_char(peek()))
        ++pos_;
      emit(TokenKind::Word, start);
    } else {
      size_t length = 1;
      for (const char *op : kOperators)
        if (s_.compare(pos_, std::char_traits<char>::length(op), op) == 0) {
          length = std::char_traits<char>::length(op);
          break;
        }
      pos_ += length;
      emit(TokenKind::Punct, start);
    }
    return out_.back().text;
  }

  // Code up to the `}` that closes the first `{`, or up to a `;` before any.
  void code_until_closed() {
    int depth = 0;
    while (skip_space()) {
      const std::string &text = code_token();
      if (text == "{")
        ++depth;
      else if (text == "}" && --depth <= 0)
        return;
      else if (text == ";" && depth == 0)
        return;
    }
  }

  void verbatim_line() {
    size_t start = pos_;
    while (!at_end() && peek() != '\n') {
      if (peek() == '\\' && peek(1) == '\n')
        ++pos_;
      ++pos_;
    }
    emit(TokenKind::Verbatim, start);
  }

  // struct/union/enum …: up to the `}` that closes their body and the `;`
  // after it on its line, if any.
  void c_definition() {
    size_t start = pos_;
    int depth = 0;
    while (!at_end()) {
      char c = peek();
      ++pos_;
      if (c == '{') {
        ++depth;
      } else if (c == '}' && --depth == 0) {
        // `} __attribute__((packed));`, but not `} begin { … }`
        size_t after = s_.find_first_of(";{\n", pos_);
        if (after != std::string::npos && s_[after] == ';')
          pos_ = after + 1;
        break;
      } else if (c == ';' && depth <= 0) {
        break;
      }
    }
    emit(TokenKind::Verbatim, start);
  }

  void top_level_item() {
    if (peek() == '#')
      return verbatim_line();
    std::string word = next_word();
    if (word == "struct" || word == "union" || word == "enum")
      return c_definition();
    if (word == "config" || word == "macro" || word == "let" || word == "import")
      return code_until_closed();
    probe();
  }

  void attach_point() {
    size_t start = pos_;
    while (!at_end()) {
      char c = peek();
      if (c == '"') {
        quoted(c);
        continue;
      }
      if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == '{')
        break;
      ++pos_;
    }
    emit(TokenKind::AttachPoint, start);
  }

  // Whether the `/` at pos_ closes a predicate rather than divides: only
  // blanks and comments lie between it and the probe's `{`.
  bool ends_predicate() const {
    size_t at = pos_ + 1;
    while (at < s_.size()) {
      if (std::isspace(static_cast<unsigned char>(s_[at]))) {
        ++at;
      } else if (s_.compare(at, 2, "//") == 0) {
        at = s_.find('\n', at);
      } else if (s_.compare(at, 2, "/*") == 0) {
        size_t end = s_.find("*/", at + 2);
        at = end == std::string::npos ? end : end + 2;
      } else {
        return s_[at] == '{';
      }
    }
    return true;
  }

  void predicate() {
    size_t start = pos_++;
    emit(TokenKind::PredicateOpen, start);
    int parens = 0;
    while (skip_space()) {
      if (peek() == '/' && parens == 0 && ends_predicate()) {
        start = pos_++;
        emit(TokenKind::PredicateClose, start);
        return;
      }
      const std::string &text = code_token();
      if (text == "(" || text == "[")
        ++parens;
      else if (text == ")" || text == "]")
        --parens;
    }
  }

  void probe() {
    while (skip_space()) {
      char c = peek();
      if (c == '{')
        return code_until_closed();
      if (c == ',') {
        size_t start = pos_++;
        emit(TokenKind::Punct, start);
      } else if (c == '/') {
        predicate();
      } else {
        attach_point();
      }
    }
  }
};

} // namespace

std::vector<Token> tokenize(const std::string &source) { return Tokenizer(source).run(); }

} // namespace sonde::cli::fmt
