#pragma once

// libclang, opened with dlopen the first time a script has C definitions, so
// that scripts without any never pay for loading Clang (tens of megabytes
// of relocations) and the binary runs where libclang is not installed.

#include <clang-c/Index.h>

#include <string>

namespace sonde::types {

// The libclang functions sonde calls, named without their `clang_` prefix.
#define SONDE_LIBCLANG_FUNCTIONS(X)                                                                \
  X(createIndex)                                                                                   \
  X(disposeIndex)                                                                                  \
  X(parseTranslationUnit2)                                                                         \
  X(disposeTranslationUnit)                                                                        \
  X(getTranslationUnitCursor)                                                                      \
  X(visitChildren)                                                                                 \
  X(getCursorKind)                                                                                 \
  X(getCursorSpelling)                                                                             \
  X(getCursorType)                                                                                 \
  X(getCursorSemanticParent)                                                                       \
  X(getCursorUSR)                                                                                  \
  X(getCursorLocation)                                                                             \
  X(getCursorExtent)                                                                               \
  X(isCursorDefinition)                                                                            \
  X(Cursor_isAnonymous)                                                                            \
  X(Cursor_isAnonymousRecordDecl)                                                                  \
  X(Cursor_isBitField)                                                                             \
  X(Cursor_getOffsetOfField)                                                                       \
  X(Cursor_isMacroBuiltin)                                                                         \
  X(Cursor_isMacroFunctionLike)                                                                    \
  X(Cursor_Evaluate)                                                                               \
  X(EvalResult_getKind)                                                                            \
  X(EvalResult_isUnsignedInt)                                                                      \
  X(EvalResult_getAsLongLong)                                                                      \
  X(EvalResult_getAsUnsigned)                                                                      \
  X(EvalResult_dispose)                                                                            \
  X(getFieldDeclBitWidth)                                                                          \
  X(getEnumConstantDeclValue)                                                                      \
  X(getEnumConstantDeclUnsignedValue)                                                              \
  X(getEnumDeclIntegerType)                                                                        \
  X(getTypedefDeclUnderlyingType)                                                                  \
  X(getTypedefName)                                                                                \
  X(getTypeDeclaration)                                                                            \
  X(getCanonicalType)                                                                              \
  X(getTypeSpelling)                                                                               \
  X(getResultType)                                                                                 \
  X(getNumArgTypes)                                                                                \
  X(getArgType)                                                                                    \
  X(getPointeeType)                                                                                \
  X(getArrayElementType)                                                                           \
  X(getArraySize)                                                                                  \
  X(Type_getSizeOf)                                                                                \
  X(Type_getAlignOf)                                                                               \
  X(Type_getNamedType)                                                                             \
  X(Type_getModifiedType)                                                                          \
  X(Type_visitFields)                                                                              \
  X(tokenize)                                                                                      \
  X(disposeTokens)                                                                                 \
  X(getTokenKind)                                                                                  \
  X(getTokenSpelling)                                                                              \
  X(getFileLocation)                                                                               \
  X(getPresumedLocation)                                                                           \
  X(getNumDiagnostics)                                                                             \
  X(getDiagnostic)                                                                                 \
  X(disposeDiagnostic)                                                                             \
  X(getDiagnosticSeverity)                                                                         \
  X(getDiagnosticSpelling)                                                                         \
  X(getDiagnosticLocation)                                                                         \
  X(getCString)                                                                                    \
  X(disposeString)

struct Libclang {
#define SONDE_LIBCLANG_MEMBER(name) decltype(&::clang_##name) name = nullptr;
  SONDE_LIBCLANG_FUNCTIONS(SONDE_LIBCLANG_MEMBER)
#undef SONDE_LIBCLANG_MEMBER

  // Opens libclang once per process. Null, with `error` set, when it cannot
  // be opened or lacks a function.
  static const Libclang *get(std::string &error);

  // The text of a CXString, which is disposed of.
  std::string take(CXString text) const;
};

} // namespace sonde::types
