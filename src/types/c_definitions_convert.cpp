#include "types/c_definitions_convert.h"

#include "types/struct_layout.h"

namespace sonde::types {

namespace {

bool is_signed_kind(CXTypeKind kind) {
  switch (kind) {
  case CXType_Char_S:
  case CXType_SChar:
  case CXType_Short:
  case CXType_Int:
  case CXType_Long:
  case CXType_LongLong:
  case CXType_WChar:
    return true;
  default:
    return false;
  }
}

TypePtr renamed(const TypePtr &type, std::string name) {
  auto copy = std::make_shared<Type>(*type);
  copy->name = std::move(name);
  return copy;
}

struct FieldVisit {
  ClangConverter *converter;
  const Libclang *clang;
  Type *record;
};

} // namespace

TypePtr ClangConverter::convert(CXType type) {
  long long size = clang_.Type_getSizeOf(type);
  switch (type.kind) {
  case CXType_Elaborated:
    return convert(clang_.Type_getNamedType(type));
  case CXType_Attributed:
  case CXType_BTFTagAttributed:
    return convert(clang_.Type_getModifiedType(type));
  case CXType_Typedef:
    return convert_typedef(type);
  case CXType_Void:
    return Type::none();
  case CXType_Bool:
    return Type::boolean();
  // Plain char is int8 whatever its signedness, as for BTF.
  case CXType_Char_S:
  case CXType_Char_U:
  case CXType_SChar:
  case CXType_UChar:
  case CXType_Short:
  case CXType_UShort:
  case CXType_Int:
  case CXType_UInt:
  case CXType_Long:
  case CXType_ULong:
  case CXType_LongLong:
  case CXType_ULongLong:
  case CXType_WChar:
  case CXType_Char16:
  case CXType_Char32:
    return Type::integer(size, is_signed_kind(type.kind) || type.kind == CXType_Char_U);
  case CXType_Enum:
    return convert_enum(type);
  case CXType_Pointer:
    return pointer_to(clang_.getPointeeType(type));
  case CXType_ConstantArray:
    return Type::array(convert(clang_.getArrayElementType(type)), clang_.getArraySize(type));
  case CXType_IncompleteArray:
    return Type::array(convert(clang_.getArrayElementType(type)), 0);
  case CXType_Record:
    return convert_record(clang_.getTypeDeclaration(type));
  default:
    // Floating point, 128-bit integers, vectors.
    if (size > 0)
      return opaque(size, clang_.Type_getAlignOf(type), clang_.take(clang_.getTypeSpelling(type)));
    return Type::none();
  }
}

// Integers keep the outermost typedef's name for messages; an anonymous
// struct, union or enum takes the typedef's name as its own.
TypePtr ClangConverter::convert_typedef(CXType type) {
  std::string name = clang_.take(clang_.getTypedefName(type));
  CXType underlying = clang_.getTypedefDeclUnderlyingType(clang_.getTypeDeclaration(type));
  TypePtr target = convert(underlying);
  CXType canonical = clang_.getCanonicalType(underlying);
  bool anonymous = (canonical.kind == CXType_Record || canonical.kind == CXType_Enum) &&
                   tag_name(clang_.getTypeDeclaration(canonical)).empty();
  if (target->kind == Kind::Integer || anonymous)
    return renamed(target, std::move(name));
  return target;
}

TypePtr ClangConverter::convert_enum(CXType type) {
  CXCursor declaration = clang_.getTypeDeclaration(type);
  CXType integer = clang_.getCanonicalType(clang_.getEnumDeclIntegerType(declaration));
  auto result = std::make_shared<Type>(
      *Type::integer(clang_.Type_getSizeOf(type), is_signed_kind(integer.kind)));
  result->name = tag_name(declaration);
  bool is_unsigned = !result->is_signed;
  struct Visit {
    const Libclang *clang;
    Type *type;
    bool is_unsigned;
  } visit{&clang_, result.get(), is_unsigned};
  clang_.visitChildren(
      declaration,
      [](CXCursor constant, CXCursor, CXClientData data) {
        auto &[clang, type, is_unsigned] = *static_cast<Visit *>(data);
        if (clang->getCursorKind(constant) == CXCursor_EnumConstantDecl)
          type->enumerators.push_back(
              {clang->take(clang->getCursorSpelling(constant)),
               is_unsigned ? static_cast<int64_t>(clang->getEnumConstantDeclUnsignedValue(constant))
                           : clang->getEnumConstantDeclValue(constant)});
        return CXChildVisit_Continue;
      },
      &visit);
  return result;
}

// Pointees that are named structs stay unresolved (see struct_layout.h);
// `void *` and function pointers point to bytes.
TypePtr ClangConverter::pointer_to(CXType pointee) {
  CXType canonical = clang_.getCanonicalType(pointee);
  switch (canonical.kind) {
  case CXType_Void:
  case CXType_FunctionProto:
  case CXType_FunctionNoProto:
    return Type::pointer(Type::integer(1, false));
  case CXType_Record: {
    CXCursor declaration = clang_.getTypeDeclaration(canonical);
    std::string name = tag_name(declaration);
    if (name.empty())
      break;
    long long size = clang_.Type_getSizeOf(canonical);
    long long align = clang_.Type_getAlignOf(canonical);
    return Type::pointer(named_struct(std::move(name),
                                      clang_.getCursorKind(declaration) == CXCursor_UnionDecl,
                                      size > 0 ? size : 0, align > 0 ? align : 1));
  }
  default:
    break;
  }
  return Type::pointer(convert(pointee));
}

std::string ClangConverter::tag_name(CXCursor declaration) const {
  if (clang_.Cursor_isAnonymous(declaration))
    return "";
  std::string keyword = clang_.getCursorKind(declaration) == CXCursor_UnionDecl  ? "union "
                        : clang_.getCursorKind(declaration) == CXCursor_EnumDecl ? "enum "
                                                                                 : "struct ";
  // The type of `typedef struct { … } T` is spelled "T", that of a tagged
  // struct "struct S".
  std::string name = keyword + clang_.take(clang_.getCursorSpelling(declaration));
  return clang_.take(clang_.getTypeSpelling(clang_.getCursorType(declaration))) == name ? name : "";
}

TypePtr ClangConverter::convert_record(CXCursor declaration) {
  // Unnamed records can share a USR (the unnamed unions of one struct do);
  // they are converted with the record holding them, which is cached.
  bool cached = !clang_.Cursor_isAnonymous(declaration);
  std::string usr = clang_.take(clang_.getCursorUSR(declaration));
  if (auto found = records_.find(usr); cached && found != records_.end())
    return found->second;
  CXType type = clang_.getCursorType(declaration);
  long long size = clang_.Type_getSizeOf(type);
  bool is_union = clang_.getCursorKind(declaration) == CXCursor_UnionDecl;
  if (size < 0) // only declared
    return named_struct(tag_name(declaration), is_union, 0, 1);

  auto record = std::make_shared<Type>();
  record->kind = Kind::Struct;
  record->name = tag_name(declaration);
  record->is_union = is_union;
  record->size = size;
  record->align = clang_.Type_getAlignOf(type);
  FieldVisit visit{this, &clang_, record.get()};
  clang_.Type_visitFields(
      type,
      [](CXCursor field, CXClientData data) {
        auto &visit = *static_cast<FieldVisit *>(data);
        const Libclang &clang = *visit.clang;
        CXType type = clang.getCursorType(field);
        // Clang names an anonymous member after its place in the source.
        bool anonymous = clang.Cursor_isAnonymousRecordDecl(
            clang.getTypeDeclaration(clang.getCanonicalType(type)));
        std::string name = anonymous ? "" : clang.take(clang.getCursorSpelling(field));
        TypePtr field_type = visit.converter->convert(type);
        long long bits = clang.Cursor_getOffsetOfField(field);
        uint64_t position = bits > 0 ? bits : 0;
        if (clang.Cursor_isBitField(field))
          add_member(*visit.record, bitfield(std::move(name), field_type, position,
                                             clang.getFieldDeclBitWidth(field)));
        else
          add_member(*visit.record, Field{std::move(name), field_type, position / 8});
        return CXVisit_Continue;
      },
      &visit);
  if (cached)
    records_.emplace(std::move(usr), record);
  return record;
}

} // namespace sonde::types
