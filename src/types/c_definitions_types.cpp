// CTypes: the definitions of a parsed translation unit, converted on request.

#include "types/c_definitions_state.h"
#include "types/struct_layout.h"

#include <algorithm>

namespace sonde::types {

namespace {

struct EnumVisit {
  CTypes::State *state;
  bool is_unsigned;
};

void add_enumerators(CTypes::State &state, CXCursor enumeration) {
  CXType integer = state.clang.getCanonicalType(state.clang.getEnumDeclIntegerType(enumeration));
  bool is_unsigned = integer.kind == CXType_UInt || integer.kind == CXType_ULong ||
                     integer.kind == CXType_ULongLong || integer.kind == CXType_UShort ||
                     integer.kind == CXType_UChar;
  EnumVisit visit{&state, is_unsigned};
  state.clang.visitChildren(
      enumeration,
      [](CXCursor constant, CXCursor, CXClientData data) {
        auto [state, is_unsigned] = *static_cast<EnumVisit *>(data);
        if (state->clang.getCursorKind(constant) != CXCursor_EnumConstantDecl)
          return CXChildVisit_Continue;
        int64_t value =
            is_unsigned
                ? static_cast<int64_t>(state->clang.getEnumConstantDeclUnsignedValue(constant))
                : state->clang.getEnumConstantDeclValue(constant);
        std::string name = state->clang.take(state->clang.getCursorSpelling(constant));
        state->enumerations.emplace(name, state->clang.getCursorSemanticParent(constant));
        state->constants.emplace(std::move(name), value);
        return CXChildVisit_Continue;
      },
      &visit);
}

bool in_function_file(const CTypes::State &state, CXCursor cursor) {
  CXString file;
  unsigned line = 0, column = 0;
  state.clang.getPresumedLocation(state.clang.getCursorLocation(cursor), &file, &line, &column);
  std::string name = state.clang.take(file);
  return std::find(state.function_files.begin(), state.function_files.end(), name) !=
         state.function_files.end();
}

// Definitions at file scope and inside structs (where C declares nested
// struct definitions at file scope too); function bodies are skipped.
CXChildVisitResult index_definition(CXCursor cursor, CXCursor, CXClientData data) {
  CTypes::State &state = *static_cast<CTypes::State *>(data);
  const Libclang &clang = state.clang;
  CXCursorKind kind = clang.getCursorKind(cursor);
  switch (kind) {
  case CXCursor_StructDecl:
  case CXCursor_UnionDecl:
  case CXCursor_EnumDecl:
    if (!clang.isCursorDefinition(cursor))
      break;
    if (kind == CXCursor_EnumDecl)
      add_enumerators(state, cursor);
    if (std::string name = state.converter.tag_name(cursor); !name.empty())
      state.definitions.emplace(std::move(name), cursor);
    break;
  case CXCursor_TypedefDecl:
    state.definitions.emplace(clang.take(clang.getCursorSpelling(cursor)), cursor);
    break;
  case CXCursor_FunctionDecl:
    if (clang.isCursorDefinition(cursor) && in_function_file(state, cursor))
      state.functions.emplace(clang.take(clang.getCursorSpelling(cursor)), cursor);
    break;
  default:
    break;
  }
  return kind == CXCursor_StructDecl || kind == CXCursor_UnionDecl ? CXChildVisit_Recurse
                                                                   : CXChildVisit_Continue;
}

} // namespace

CTypes::State::State(const Libclang &clang, CXIndex index, CXTranslationUnit unit,
                     const std::vector<std::string> &function_files)
    : clang(clang), index(index), unit(unit), converter(clang), function_files(function_files) {
  clang.visitChildren(clang.getTranslationUnitCursor(unit), index_definition, this);
}

CTypes::State::~State() {
  clang.disposeTranslationUnit(unit);
  clang.disposeIndex(index);
}

CTypes::CTypes() = default;
CTypes::CTypes(std::unique_ptr<State> state) : state_(std::move(state)) {}
CTypes::~CTypes() = default;
CTypes::CTypes(CTypes &&) noexcept = default;
CTypes &CTypes::operator=(CTypes &&) noexcept = default;

TypePtr CTypes::find_type(std::string_view c_name) {
  if (!state_)
    return nullptr;
  std::string name(c_name);
  if (auto found = state_->converted.find(name); found != state_->converted.end())
    return found->second;
  auto definition = state_->definitions.find(name);
  if (definition == state_->definitions.end())
    return nullptr;
  CXCursor cursor = definition->second;
  TypePtr type = state_->clang.getCursorKind(cursor) == CXCursor_StructDecl ||
                         state_->clang.getCursorKind(cursor) == CXCursor_UnionDecl
                     ? state_->converter.convert_record(cursor)
                     : state_->converter.convert(state_->clang.getCursorType(cursor));
  state_->converted.emplace(std::move(name), type);
  return type;
}

TypePtr CTypes::resolve(const TypePtr &type) {
  if (!type || !is_unresolved_struct(*type))
    return type;
  TypePtr definition = find_type(type->name);
  return definition ? definition : type;
}

std::optional<int64_t> CTypes::constant(std::string_view name) const {
  const auto &all = constants();
  if (auto found = all.find(name); found != all.end())
    return found->second;
  return std::nullopt;
}

TypePtr CTypes::enumeration(std::string_view enumerator) {
  if (!state_)
    return nullptr;
  auto found = state_->enumerations.find(std::string(enumerator));
  if (found == state_->enumerations.end())
    return nullptr;
  return state_->converter.convert(state_->clang.getCursorType(found->second));
}

std::optional<CTypes::Function> CTypes::function(std::string_view name) {
  if (!state_)
    return std::nullopt;
  auto found = state_->functions.find(std::string(name));
  if (found == state_->functions.end())
    return std::nullopt;
  const Libclang &clang = state_->clang;
  CXType type = clang.getCursorType(found->second);
  Function function{state_->converter.convert(clang.getResultType(type)), {}};
  int count = clang.getNumArgTypes(type);
  for (int i = 0; i < count; i++)
    function.params.push_back(
        state_->converter.convert(clang.getArgType(type, static_cast<unsigned>(i))));
  return function;
}

const std::map<std::string, int64_t, std::less<>> &CTypes::constants() const {
  static const std::map<std::string, int64_t, std::less<>> none;
  return state_ ? state_->constants : none;
}

} // namespace sonde::types
