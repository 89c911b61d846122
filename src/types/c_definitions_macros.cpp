#include "types/c_definitions_macros.h"

#include <set>
#include <string_view>

namespace sonde::types {

namespace {

constexpr std::string_view kProbePrefix = "__sonde_macro_";

// Whether a macro body (its tokens after the name) could be an expression
// whose evaluation cannot disturb the declarations around it.
bool could_be_expression(const Libclang &clang, CXTranslationUnit unit, const CXToken *tokens,
                         unsigned count) {
  if (count < 2)
    return false;
  int depth = 0;
  for (unsigned i = 1; i < count; i++) {
    std::string spelling = clang.take(clang.getTokenSpelling(unit, tokens[i]));
    CXTokenKind kind = clang.getTokenKind(tokens[i]);
    if (kind == CXToken_Literal && spelling.back() == '"')
      return false;
    if (kind != CXToken_Punctuation)
      continue;
    if (spelling == "{" || spelling == "}" || spelling == ";" || spelling == "#" ||
        spelling == "##")
      return false;
    depth += spelling == "(" ? 1 : spelling == ")" ? -1 : 0;
    if (depth < 0)
      return false;
  }
  return depth == 0;
}

struct MacroVisit {
  const Libclang *clang;
  CXTranslationUnit unit;
  std::vector<std::string> names;
  std::set<std::string> seen;
};

} // namespace

std::vector<std::string> expression_macros(const Libclang &clang, CXTranslationUnit unit) {
  MacroVisit visit{&clang, unit, {}, {}};
  clang.visitChildren(
      clang.getTranslationUnitCursor(unit),
      [](CXCursor cursor, CXCursor, CXClientData data) {
        auto &visit = *static_cast<MacroVisit *>(data);
        const Libclang &clang = *visit.clang;
        if (clang.getCursorKind(cursor) != CXCursor_MacroDefinition ||
            clang.Cursor_isMacroBuiltin(cursor) || clang.Cursor_isMacroFunctionLike(cursor))
          return CXChildVisit_Continue;
        // Macros of the compiler and the command line are in no file.
        CXFile file = nullptr;
        clang.getFileLocation(clang.getCursorLocation(cursor), &file, nullptr, nullptr, nullptr);
        if (!file)
          return CXChildVisit_Continue;
        CXToken *tokens = nullptr;
        unsigned count = 0;
        clang.tokenize(visit.unit, clang.getCursorExtent(cursor), &tokens, &count);
        std::string name = clang.take(clang.getCursorSpelling(cursor));
        if (could_be_expression(clang, visit.unit, tokens, count) && visit.seen.insert(name).second)
          visit.names.push_back(std::move(name));
        clang.disposeTokens(visit.unit, tokens, count);
        return CXChildVisit_Continue;
      },
      &visit);
  return visit.names;
}

std::string macro_probes(const std::vector<std::string> &macros) {
  std::string text;
  for (const std::string &name : macros)
    text += "static __auto_type " + std::string(kProbePrefix) + name + " = (" + name + ");\n";
  return text;
}

void read_macro_values(const Libclang &clang, CXTranslationUnit unit,
                       std::map<std::string, int64_t, std::less<>> &values) {
  struct Read {
    const Libclang *clang;
    std::map<std::string, int64_t, std::less<>> *values;
  } read{&clang, &values};
  clang.visitChildren(
      clang.getTranslationUnitCursor(unit),
      [](CXCursor cursor, CXCursor, CXClientData data) {
        auto &read = *static_cast<Read *>(data);
        const Libclang &clang = *read.clang;
        if (clang.getCursorKind(cursor) != CXCursor_VarDecl)
          return CXChildVisit_Continue;
        std::string name = clang.take(clang.getCursorSpelling(cursor));
        if (!name.starts_with(kProbePrefix))
          return CXChildVisit_Continue;
        CXEvalResult result = clang.Cursor_Evaluate(cursor);
        if (!result)
          return CXChildVisit_Continue;
        if (clang.EvalResult_getKind(result) == CXEval_Int)
          (*read.values)[name.substr(kProbePrefix.size())] =
              clang.EvalResult_isUnsignedInt(result)
                  ? static_cast<int64_t>(clang.EvalResult_getAsUnsigned(result))
                  : clang.EvalResult_getAsLongLong(result);
        clang.EvalResult_dispose(result);
        return CXChildVisit_Continue;
      },
      &read);
}

} // namespace sonde::types
