#pragma once

// The syntax tree of a sonde script. One tree is built by the parser and then
// annotated in place by sema (expression types, resolved builtins) before
// codegen reads it.

#include "ast/location.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sonde::types {
struct Type;
}

namespace sonde::ast {

class Visitor;

struct Node {
  Location loc;
  virtual ~Node() = default;
  virtual void accept(Visitor &v) = 0;
};

// ---------------------------------------------------------------- expressions

struct Expr : Node {
  // Filled in by sema; null before.
  std::shared_ptr<const types::Type> type;
};
using ExprPtr = std::unique_ptr<Expr>;

// A type as written in a cast, `let` declaration, sizeof or offsetof:
// `uint32`, `struct path *`, `int8 **`, `uint8[8]`.
struct TypeName {
  std::string base; // "uint32", "struct path", "union u", "enum e", "string"
  int pointer_depth = 0;
  std::optional<uint64_t> array_length; // 0: `T[]`, as many as the operand holds
  // `typeof(expr)`: the type of `expr`, which is never evaluated. Shared by
  // the copies a TypeName is passed around in.
  std::shared_ptr<Expr> typeof_expr;
  Location loc;
};

struct IntegerLiteral : Expr {
  uint64_t value = 0;
  void accept(Visitor &v) override;
};

struct StringLiteral : Expr {
  std::string value; // escapes already decoded
  void accept(Visitor &v) override;
};

struct BoolLiteral : Expr {
  bool value = false;
  void accept(Visitor &v) override;
};

// `$1`, `$2`, … or `$#` (is_count).
struct PositionalParam : Expr {
  int index = 0;
  bool is_count = false;
  void accept(Visitor &v) override;
};

// A bare name: a builtin (`pid`, `comm`, `arg0`, `args`), an enum constant, or
// anything else sema resolves.
struct Identifier : Expr {
  std::string name;
  // Set by sema when the name is an enumerator or #define constant.
  std::optional<int64_t> constant;
  void accept(Visitor &v) override;
};

// `$name`
struct Variable : Expr {
  std::string name; // without the `$`
  void accept(Visitor &v) override;
};

// `@name`, `@name[k]`, `@name[k1, k2]`, `@`, `@[k]`
struct MapRef : Expr {
  std::string name;          // without the `@`; empty for the anonymous map
  std::vector<ExprPtr> keys; // empty for a scalar map
  void accept(Visitor &v) override;
};

// A type used where an expression stands: arguments of sizeof/offsetof.
struct TypeExpr : Expr {
  TypeName type_name;
  void accept(Visitor &v) override;
};

struct Call : Expr {
  std::string name;
  std::vector<ExprPtr> args;
  bool macro_call = false; // written `name!(…)`: only a macro may answer it
  void accept(Visitor &v) override;
};

enum class UnaryOp { Neg, Not, BitNot, Deref, AddressOf, PreInc, PreDec, PostInc, PostDec };

struct Unary : Expr {
  UnaryOp op;
  ExprPtr operand;
  void accept(Visitor &v) override;
};

enum class BinaryOp {
  Add,
  Sub,
  Mul,
  Div,
  Mod,
  BitAnd,
  BitOr,
  BitXor,
  Shl,
  Shr,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  LogicalAnd,
  LogicalOr,
};

struct Binary : Expr {
  BinaryOp op;
  ExprPtr lhs;
  ExprPtr rhs;
  void accept(Visitor &v) override;
};

// `c ? a : b`; `then_expr` is null for the GNU form `c ?: b`.
struct Ternary : Expr {
  ExprPtr cond;
  ExprPtr then_expr;
  ExprPtr else_expr;
  void accept(Visitor &v) override;
};

// `base.field` or `base->field`
struct FieldAccess : Expr {
  ExprPtr base;
  std::string field;
  bool arrow = false;
  void accept(Visitor &v) override;
};

// `tuple.0`
struct TupleIndex : Expr {
  ExprPtr base;
  uint64_t index = 0;
  void accept(Visitor &v) override;
};

// `base[index]`
struct Index : Expr {
  ExprPtr base;
  ExprPtr index;
  void accept(Visitor &v) override;
};

struct Cast : Expr {
  TypeName target;
  ExprPtr operand;
  void accept(Visitor &v) override;
};

struct TupleExpr : Expr {
  std::vector<ExprPtr> elements;
  void accept(Visitor &v) override;
};

// `(a = 1, b = "x")`
struct RecordExpr : Expr {
  std::vector<std::string> names;
  std::vector<ExprPtr> values;
  void accept(Visitor &v) override;
};

// ----------------------------------------------------------------- statements

struct Stmt : Node {};
using StmtPtr = std::unique_ptr<Stmt>;

struct Block : Node {
  std::vector<StmtPtr> stmts;
  void accept(Visitor &v) override;
};

// Statements in a scope of their own, then the value of `value` (none when
// null): what a macro call expands to.
struct BlockExpr : Expr {
  Block block;
  ExprPtr value;
  bool from_macro = false; // the expansion of a macro call at `loc`
  void accept(Visitor &v) override;
};

struct ExprStmt : Stmt {
  ExprPtr expr;
  bool discard = false; // `_ = expr`: its value is dropped on purpose
  void accept(Visitor &v) override;
};

// `target = value` or a compound `target op= value`. The target is a MapRef,
// Variable, or (for `let`-less field writes, rejected by sema) anything else.
struct Assign : Stmt {
  ExprPtr target;
  std::optional<BinaryOp> compound;
  ExprPtr value;
  void accept(Visitor &v) override;
};

// `let $x;`, `let $x: uint16;`, `let $x = 5;`, `let $x: uint16 = 5;`
struct VarDecl : Stmt {
  std::string name; // without the `$`
  std::optional<TypeName> declared_type;
  ExprPtr init;                            // may be null
  std::shared_ptr<const types::Type> type; // the variable's type, filled by sema
  void accept(Visitor &v) override;
};

struct If : Stmt {
  ExprPtr cond;
  Block then_block;
  std::optional<Block> else_block; // `else if` is an If alone in this block
  void accept(Visitor &v) override;
};

struct While : Stmt {
  ExprPtr cond;
  Block body;
  void accept(Visitor &v) override;
};

struct Unroll : Stmt {
  ExprPtr count;
  Block body;
  void accept(Visitor &v) override;
};

// `for ($kv : @map) { }`
struct ForMap : Stmt {
  std::string var; // without the `$`
  std::unique_ptr<MapRef> map;
  Block body;
  void accept(Visitor &v) override;
};

// `for ($i : start..end) { }`
struct ForRange : Stmt {
  std::string var;
  ExprPtr start;
  ExprPtr end;
  Block body;
  void accept(Visitor &v) override;
};

enum class JumpKind { Break, Continue, Return };

struct Jump : Stmt {
  JumpKind kind;
  ExprPtr value; // only for `return expr`
  void accept(Visitor &v) override;
};

struct BlockStmt : Stmt {
  Block block;
  void accept(Visitor &v) override;
};

// ---------------------------------------------------------------- top level

// One attach point as written (`tracepoint:syscalls:sys_enter_*`, `BEGIN`,
// `uprobe:"/a b/c":fn`). Providers parse and validate the text.
struct AttachPoint : Node {
  std::string raw;
  void accept(Visitor &v) override;
};

struct Probe : Node {
  std::vector<std::unique_ptr<AttachPoint>> attach_points;
  ExprPtr predicate; // may be null
  Block body;
  void accept(Visitor &v) override;
};

// A C preprocessor line (`#include <x.h>`, `#define X 1`) or a C
// struct/union/enum definition, kept verbatim for the type stage.
struct CDefinition : Node {
  std::string text;
  void accept(Visitor &v) override;
};

// `import "path";`: what it names is merged into the program before sema
// (parser/imports.h), which never sees this node.
struct Import : Node {
  std::string path; // as written
  void accept(Visitor &v) override;
};

// One `key = value` of the `config = { … }` block.
struct ConfigEntry : Node {
  std::string key;
  ExprPtr value; // IntegerLiteral, StringLiteral, BoolLiteral or Identifier
  void accept(Visitor &v) override;
};

// `macro name($a, @b, c) { … }`
struct Macro : Node {
  std::string name;
  std::vector<std::string> params; // spelled with their sigil: "$a", "@b", "c"
  Block body;
  void accept(Visitor &v) override;
};

// `let @name = lruhash(1024);`
struct MapDecl : Node {
  std::string name; // without the `@`
  std::string kind; // "hash", "lruhash", "percpuhash", "percpulruhash", "percpuarray"
  uint64_t max_entries = 0;
  void accept(Visitor &v) override;
};

struct Program : Node {
  std::string shebang; // without the `#!`, empty when absent
  std::vector<std::unique_ptr<CDefinition>> c_definitions;
  std::vector<std::unique_ptr<ConfigEntry>> config;
  std::vector<std::unique_ptr<Import>> imports;
  // The BPF C files imported (`.bpf.c`): codegen compiles and links them;
  // their functions are callable by name.
  struct ImportedFile {
    std::string path; // canonical
    Location loc;     // of the import that named it
  };
  std::vector<ImportedFile> bpf_c_files;
  std::vector<std::unique_ptr<MapDecl>> map_decls;
  std::vector<std::unique_ptr<Macro>> macros;
  std::vector<std::unique_ptr<Probe>> probes;
  void accept(Visitor &v) override;
};

} // namespace sonde::ast
