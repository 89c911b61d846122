#pragma once

// Internal to sema: the pass that infers and checks types of one probe body.
// Builtin variables and functions are looked up in the registries of
// builtins.h; their rules call back into this class.

#include "ast/visitor.h"
#include "sema/sema.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sonde::sema {

class TypeChecker : public ast::Visitor {
public:
  TypeChecker(TypedProgram &out, const SemaOptions &options, ProbeCatalog &catalog,
              Diagnostics &diags)
      : out_(out), options_(options), catalog_(catalog), diags_(diags) {}

  // Checks one probe for one of its instances. `final_pass` is false while map
  // types are still being discovered: errors are then not reported.
  void check_probe(ProbeInfo &info, const ProbeInstance &instance, bool final_pass);
  // The value of an integer known when compiling: a literal, its negation, a
  // positional parameter given a number, `$#`.
  std::optional<int64_t> constant_value(ast::Expr &expr);

  // Number of map types learnt so far; the driver repeats passes until stable.
  size_t map_type_count() const;

  // --- for the builtin rules
  void error(const ast::Location &loc, const std::string &message, const std::string &hint = "");
  void warning(const ast::Location &loc, const std::string &message);
  types::TypePtr check(ast::Expr &expr); // visits and returns expr.type
  // check(), where a string is expected: `probe` becomes str(probe).
  types::TypePtr check_string(ast::ExprPtr &expr);
  const Config &config() const { return out_.config; }
  const SemaOptions &options() const { return options_; }
  const ProbeKind &probe_kind() const { return *probe_->kind; }
  const std::string &provider() const { return probe_kind().name; }
  // Whether the probe's own addresses are user ones (uprobe, uretprobe, usdt).
  bool user_probe() const;
  bool in_for_loop() const { return for_depth_ > 0; }
  const ProbeInstance &instance() const { return *instance_; }
  TypeLookup &types() { return out_.types; }
  std::map<SymbolKey, SymbolInfo> &symbols() { return out_.symbols; }
  std::map<std::string, uint64_t> &probed_addresses() { return out_.probed_addresses; }
  void mark_reads_args() { probe_->reads_args = true; }
  void mark_calls_task_kfuncs() { probe_->calls_task_kfuncs = true; }
  // The map a function argument names, or null (with an error) when it is not a map.
  ast::MapRef *expect_map(ast::Expr &arg, const std::string &function);
  // Records that `map` holds values of `value` (aggregations included).
  // `value_expr`, when given, is the expression assigned (for warnings).
  void assign_map_value(ast::MapRef &map, types::TypePtr value, const ast::Location &loc,
                        const ast::Expr *value_expr = nullptr);
  types::TypePtr map_key_type(ast::MapRef &map);
  MapSymbol *find_map(const std::string &name);
  // Reports a map that no statement assigns (once map types are settled).
  void undefined_map(const ast::MapRef &map);
  // `$var = <a value of type>`, declaring the variable on its first assignment.
  // `value`, when given, is the expression assigned (for warnings).
  void assign_variable(ast::Variable &var, types::TypePtr type, const ast::Location &loc,
                       ast::Expr *value = nullptr);

  void visit(ast::IntegerLiteral &node) override;
  void visit(ast::StringLiteral &node) override;
  void visit(ast::BoolLiteral &node) override;
  void visit(ast::PositionalParam &node) override;
  void visit(ast::Identifier &node) override;
  void visit(ast::Variable &node) override;
  void visit(ast::MapRef &node) override;
  void visit(ast::TypeExpr &node) override;
  void visit(ast::Call &node) override;
  void visit(ast::Unary &node) override;
  void visit(ast::Binary &node) override;
  void visit(ast::Ternary &node) override;
  void visit(ast::FieldAccess &node) override;
  void visit(ast::TupleIndex &node) override;
  void visit(ast::Index &node) override;
  void visit(ast::Cast &node) override;
  void visit(ast::TupleExpr &node) override;
  void visit(ast::RecordExpr &node) override;
  void visit(ast::Block &node) override;
  void visit(ast::BlockExpr &node) override;
  void visit(ast::ExprStmt &node) override;
  void visit(ast::Assign &node) override;
  void visit(ast::VarDecl &node) override;
  void visit(ast::If &node) override;
  void visit(ast::While &node) override;
  void visit(ast::Unroll &node) override;
  void visit(ast::ForMap &node) override;
  void visit(ast::ForRange &node) override;
  void visit(ast::Jump &node) override;

private:
  types::TypePtr resolve_type_name(const ast::TypeName &name);
  types::TypePtr probed_binary_type(const std::string &c_name);
  // How a value read from C memory is seen: char arrays are strings, structs
  // known by name only are completed.
  types::TypePtr c_value_type(const types::TypePtr &type);
  types::TypePtr lookup_variable(const std::string &name);
  // The type of a `let $x;` variable once its first use decides it.
  void settle_untyped(const std::string &name, const types::TypePtr &type);
  void define_variable(const std::string &name, types::TypePtr type, const ast::Location &loc);
  // How a variable holds a value of `type`.
  static types::TypePtr var_type(const types::TypePtr &type);
  void check_condition(ast::Expr &cond);
  // The text of $index; "" when not given.
  std::string positional_value(int index) const;
  void fold_positional_str(ast::ExprPtr &arg);
  void name_as_type(ast::ExprPtr &arg);
  void fold_field_path(ast::ExprPtr &arg);
  void warn_sign_mismatch(ast::Binary &node);
  types::TypePtr check_c_function_call(ast::Call &node, const CFunction &function);

  TypedProgram &out_;
  const SemaOptions &options_;
  ProbeCatalog &catalog_;
  Diagnostics &diags_;
  ProbeInfo *probe_ = nullptr;
  const ProbeInstance *instance_ = nullptr;
  bool final_pass_ = false;
  bool assigning_map_value_ = false;
  int loop_depth_ = 0;
  int for_depth_ = 0; // for loops only: their bodies are BPF callbacks
  // A variable in scope: its type so far, and the type slots of the nodes
  // that name it. When the scope ends, every use gets the final type: a
  // tuple assigned a longer string later holds it in every use.
  struct Binding {
    types::TypePtr type;
    std::vector<types::TypePtr *> uses;
    bool declared = false; // `let $x: T`: assignments convert to T
    // First assigned in a nested block, kept for the whole probe (0.17
    // scripts): in bpftrace 0.26 it would not be visible to a later `let`.
    bool hoisted = false;
    // The values assigned, warned about when the final type may change them.
    std::vector<const ast::Expr *> values;
  };
  // A variable that only literals set (int8 for `$i = 0`) counts in 64 bits
  // once incremented or compound-assigned, as bpftrace 0.26 upcasts it.
  void widen_counter(const ast::Variable &var);
  // The type of an integer variable once assigned a value of `value`;
  // `arithmetic` when the value is an operator's result; `value_expr`, the
  // expression assigned, when known.
  static types::TypePtr merge_integer(const Binding &binding, const types::TypePtr &value,
                                      bool arithmetic, const ast::Expr *value_expr);
  void convert_to_declared(ast::Expr &value, const types::Type &to);
  void push_scope() { scopes_.emplace_back(); }
  void pop_scope();
  // Declares `name` in the innermost scope.
  void bind(const std::string &name, types::TypePtr type, types::TypePtr *use = nullptr);
  Binding *find_binding(const std::string &name);
  // Innermost scope last.
  std::vector<std::map<std::string, Binding>> scopes_;
  // `let $x;` without a type: the declaration, by the placeholder type its
  // scope holds until the first assignment (or read, as int64) decides.
  std::vector<std::pair<types::TypePtr, ast::VarDecl *>> untyped_lets_;
};

// Unifies two value types for one map or variable: integers widen to 8 bytes,
// strings to the longer. Returns null when they cannot hold the same values.
types::TypePtr unify(const types::TypePtr &a, const types::TypePtr &b);

// How a value is kept in a map or variable: integers take 8 bytes.
types::TypePtr storage_type(const types::TypePtr &t);

// The type of reading a map's value: aggregations read as integers.
types::TypePtr read_type(const types::TypePtr &value);

inline bool is_integer(const types::TypePtr &t) { return t && t->is_integer_like(); }

} // namespace sonde::sema
