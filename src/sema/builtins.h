#pragma once

// The registries of builtin variables and functions. Each builtin is declared
// once, in the file of its category under builtins/, with its type rule;
// codegen's lowering tables (codegen/lowerings.h) lower it by the same name.

#include "sema/type_checker.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sonde::sema {

// Checks a call's arguments and returns its type. `as_map_value` is true when
// the call is the whole right-hand side of a map assignment (aggregations).
using FunctionRule = std::function<types::TypePtr(TypeChecker &, ast::Call &, bool as_map_value)>;
using FunctionTable = std::map<std::string, FunctionRule>;

const FunctionRule *find_function(const std::string &name);
std::vector<std::string> function_names();
// Why a stdlib function sonde knows of cannot be used; nothing when it can
// or when no such function exists.
std::optional<std::string> unsupported_function(const std::string &name);

// The type of a builtin variable, or null when `node` names none. Reports an
// error itself when the builtin exists but is not valid in this probe.
types::TypePtr builtin_variable_type(TypeChecker &tc, ast::Identifier &node);
std::vector<std::string> builtin_variable_names();
// ppid, pcomm, leader_tid, leader_comm: read from the current task_struct.
bool reads_task_struct(const std::string &name);
// `__builtin_pid` is `pid`: the name a builtin has under its prefix.
std::string without_builtin_prefix(const std::string &name);
// arg0, arg1, …: the argument a builtin variable's name stands for, if any.
std::optional<size_t> argument_index(const std::string &name);

// Category registrations, one per file under builtins/.
void register_output_functions(FunctionTable &table);
void register_map_functions(FunctionTable &table);
void register_aggregation_functions(FunctionTable &table);
void register_string_functions(FunctionTable &table);
void register_symbol_functions(FunctionTable &table);
void register_conversion_functions(FunctionTable &table);
void register_variable_functions(FunctionTable &table);
void register_introspection_functions(FunctionTable &table);

// is_str(x), is_literal(x), …: the answer, once `call`'s argument is typed.
std::optional<bool> type_predicate(const ast::Call &call);
// kfunc_exist("name"), kfunc_allowed("name") in a probe of `kind`.
std::optional<bool> kfunc_query(const ast::Call &call, const ProbeKind &kind);
// The value of a condition made of literals, type predicates and operators.
std::optional<int64_t> compile_time_value(const ast::Expr &e);

// Checks printf-style arguments against the conversions of `format`.
void check_printf_format(TypeChecker &tc, const ast::StringLiteral &format,
                         const std::vector<types::TypePtr> &args, const ast::Call &call);

// signal_name()'s string: the longest name, SIGSTKFLT, and its NUL fit.
constexpr uint64_t kSignalNameSize = 16;

// Shared argument checks for the rules.
bool expect_arg_count(TypeChecker &tc, ast::Call &call, size_t min, size_t max);
bool expect_integer_arg(TypeChecker &tc, ast::Expr &arg, const std::string &function);
// The value of an integer literal argument, with an error when it is not one.
std::optional<int64_t> constant_integer_arg(TypeChecker &tc, ast::Expr &arg,
                                            const std::string &function);

} // namespace sonde::sema
