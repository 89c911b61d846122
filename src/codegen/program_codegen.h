#pragma once

// Internal to codegen: lowers one probe instance to one BPF program.

#include "ast/visitor.h"
#include "codegen/bpf_module.h"
#include "codegen/codegen.h"
#include "codegen/helpers.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sonde::codegen {

// A value during lowering. Values that fit a register (integers, bools,
// pointers, symbols) are an i64; everything else is a pointer to memory
// holding `type->size` bytes laid out as types/type.h says.
struct CgValue {
  llvm::Value *value = nullptr;
  types::TypePtr type;
};

bool is_register_value(const types::Type &type);

// A C value in kernel or user memory, not yet read.
struct RemoteValue {
  llvm::Value *address; // i64
  types::TypePtr type;
  bool user = false;
  uint32_t bit_offset = 0; // bitfields: within the storage unit at `address`
  uint32_t bit_width = 0;
  // A CO-RE field access: the pointer a field of an embedded struct chains
  // on, so that the relocation starts at the named outer struct.
  llvm::Value *core_pointer = nullptr;
};

// State shared by all programs of one script.
struct ScriptState {
  BpfModule &module;
  const Diagnostics &files; // the script and its imports, for run-time messages
  sema::TypedProgram &program;
  const CodegenOptions &options;
  CompiledScript &out;
  std::map<std::string, llvm::GlobalVariable *> maps; // by script name
  llvm::GlobalVariable *ringbuf = nullptr;
  llvm::GlobalVariable *lost_events = nullptr;
  llvm::GlobalVariable *map_full = nullptr;    // CompiledScript::map_full_elf_name
  std::map<std::string, uint32_t> map_indexes; // by script name, into out.maps
  llvm::GlobalVariable *scratch = nullptr;     // per-CPU buffer for values too big for the stack
  // An array map whose one value nothing writes: zero bytes to initialise
  // values too large to zero inline (a zeroing loop costs the verifier a
  // step per word, each time it passes). Created on first use.
  llvm::GlobalVariable *zeroes = nullptr;
  uint64_t zeroes_size = 0;
  // Set by the loader (common/compiled_script.h, load_time).
  llvm::GlobalVariable *child_pid = nullptr;  // `cpid`
  llvm::GlobalVariable *filter_pid = nullptr; // -p
  llvm::GlobalVariable *exited = nullptr;     // set by exit(); most probes then return at once
  llvm::GlobalVariable *start_ns = nullptr;   // `elapsed`
  llvm::GlobalVariable *realtime_offset_ns = nullptr; // strftime
  llvm::GlobalVariable *ncpus = nullptr;
  llvm::GlobalVariable *pidns_dev = nullptr; // pid and tid of sonde's pid namespace
  llvm::GlobalVariable *pidns_ino = nullptr;
  llvm::GlobalVariable *kernel_stacks = nullptr;  // created on first kstack
  llvm::GlobalVariable *user_stacks = nullptr;    // created on first ustack
  std::optional<size_t> new_process_event; // EventKind::NewProcess, added on first use
  uint64_t scratch_size = 0; // the largest any program needs
};

struct LoweringTable;

class ProgramCodegen : public ast::Visitor {
public:
  // The lowerings of the builtins, one family per file (lowerings.h). They
  // are members so that the lowerings they register may use the private
  // ones below.
  static void register_output_lowerings(LoweringTable &table);
  static void register_map_lowerings(LoweringTable &table);
  static void register_aggregation_lowerings(LoweringTable &table);
  static void register_string_lowerings(LoweringTable &table);
  static void register_symbol_lowerings(LoweringTable &table);
  static void register_conversion_lowerings(LoweringTable &table);
  static void register_variable_lowerings(LoweringTable &table);
  static void register_introspection_lowerings(LoweringTable &table);

  ProgramCodegen(ScriptState &script, const sema::ProbeInfo &probe,
                 const sema::ProbeInstance &instance, std::vector<size_t> probe_indices,
                 bool as_raw_tracepoint);

  // Makes this a raw sys_enter/sys_exit program for the syscalls in `table`
  // (syscall number → probe index); other syscalls return at once.
  void set_syscall_dispatch(std::vector<std::pair<uint64_t, size_t>> table, bool exit);

  // Emits the program; returns its function name.
  std::string generate(const std::string &name, const std::string &section);

  // --- statements
  void visit(ast::Block &node) override;
  void visit(ast::BlockExpr &node) override;
  void visit(ast::ExprStmt &node) override;
  void visit(ast::Assign &node) override;
  void visit(ast::VarDecl &node) override;
  void visit(ast::If &node) override;
  void visit(ast::While &node) override;
  void visit(ast::Unroll &node) override;
  void visit(ast::ForRange &node) override;
  void visit(ast::ForMap &node) override;
  void visit(ast::Jump &node) override;
  void visit(ast::BlockStmt &node) override;

  // --- expressions (each sets result_)
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

private:
  CgValue gen(ast::Expr &expr);
  llvm::Value *gen_condition(ast::Expr &expr); // i1
  void set_location(const ast::Node &node);

  // Memory.
  llvm::Value *slot(uint64_t size);
  // Lowers a statement, then frees the temporaries it used.
  void lower_statement(ast::Stmt &stmt);
  // Always on the stack: loop counters, which the verifier bounds only there.
  llvm::Value *stack_slot(uint64_t size);
  // Always in scratch, whose contents the verifier does not track.
  llvm::Value *scratch_slot(uint64_t size);
  void store_to(llvm::Value *dst, const CgValue &v, const types::Type &dst_type);
  CgValue load_from(llvm::Value *src, const types::TypePtr &type);
  llvm::Value *byte_ptr(llvm::Value *base, uint64_t offset);
  void zero(llvm::Value *dst, uint64_t size);
  // `size` zero bytes to read (not write): a zeroed slot, or for a large
  // size the zeroes map's value.
  llvm::Value *zero_bytes(uint64_t size);
  void copy(llvm::Value *dst, llvm::Value *src, uint64_t size);
  void word_loop(uint64_t size, const std::function<void(llvm::Value *offset)> &body);
  // Materialises a value in memory (register values are spilled to a slot).
  llvm::Value *to_memory(const CgValue &v, const types::Type &as);

  // Maps.
  const sema::MapSymbol &map_symbol(const ast::MapRef &map);
  llvm::Value *map_global(const ast::MapRef &map);
  llvm::Value *build_key(ast::MapRef &map);
  // With `report_missing`, a key not in the map is reported as -k reports a
  // failed helper.
  CgValue read_map(ast::MapRef &map, llvm::Value *key, bool report_missing = false);
  void write_map(ast::MapRef &map, llvm::Value *key, const CgValue &value);
  // `@m[k] = count()` and the other aggregations.
  void update_aggregation(ast::MapRef &map, ast::Call &call);
  bool assign_aggregation(ast::MapRef &map, ast::Expr &value);
  // Lowers the block's statements in a scope of their own, then
  // `use_value` (which lowers node.value as it needs) inside that scope.
  void in_block_scope(ast::BlockExpr &node, const std::function<void()> &use_value);
  llvm::Value *tseries_now();
  // Looks up `key`, inserting a zeroed value first when it is missing.
  // Returns the value pointer and continues in a block where it is non-null.
  llvm::Value *lookup_or_init(ast::MapRef &map, llvm::Value *key, uint64_t value_size);
  // Counts an update of `map` that failed (`failed` is true): the map is full.
  void count_map_full(const ast::MapRef &map, llvm::Value *failed);
  // Adds `failures` to the map's map-full counter; `index` is a 4-byte slot.
  void add_to_map_full(uint32_t map_index, llvm::Value *failures, llvm::Value *index);
  // Routes the program's returns through the adding of its tallies.
  void flush_map_full();

  // Events.
  size_t add_event(EventInfo info);
  // Emits a record: event id, then `args` laid out as the event says.
  void emit_event(size_t event_index, const std::vector<CgValue> &args);
  // Sends a built record to the ring buffer, counting it as lost on failure.
  void output_record(llvm::Value *record, uint64_t size);
  std::vector<EventArg> layout_args(const std::vector<types::TypePtr> &types, uint64_t &size);
  // print(@m), clear(@m), zero(@m): an event the runtime acts on the map for.
  void emit_map_event(EventKind kind, ast::Call &node);

  // Control flow.
  llvm::BasicBlock *new_block(const std::string &name);
  void return_zero();
  void if_then(llvm::Value *cond, const std::function<void()> &then_fn);
  // A bpf_loop callback `i64 (i64 index, ptr ctx)` whose IR `body` emits,
  // returns included. The body may not ask for slots.
  llvm::Function *
  loop_callback(const std::string &name,
                const std::function<void(llvm::Value *index, llvm::Value *ctx)> &body);

  // Integers.
  // Hides a value from LLVM's range analysis, so that a bounds check the
  // verifier needs to see is not folded away.
  llvm::Value *opaque(llvm::Value *v);
  // A uint64 of CompiledScript's load_time globals.
  llvm::Value *load_time_constant(llvm::GlobalVariable *global);
  llvm::Value *to_i64(const CgValue &v);
  llvm::Value *binary_integer(ast::BinaryOp op, llvm::Value *l, llvm::Value *r, bool is_signed);
  // `count` elements of what `pointer` points to, in bytes (void: 1 each).
  llvm::Value *pointer_offset(const types::Type &pointer, llvm::Value *count);
  llvm::Value *divide_checked(const ast::Binary &node, llvm::Value *l, llvm::Value *r,
                              bool is_signed);
  llvm::Value *prefix_equal(llvm::Value *a, llvm::Value *b, uint64_t n,
                            const std::function<void(llvm::Value *result)> &all_matched);
  llvm::Value *string_equal(const CgValue &a, const CgValue &b);
  llvm::Value *bytes_equal(llvm::Value *a, llvm::Value *b, uint64_t n);
  // Tuples and records, field by field (records by name).
  llvm::Value *fields_equal(const CgValue &a, const CgValue &b);
  llvm::Value *string_contains(const CgValue &haystack, const CgValue &needle, uint64_t needle_size,
                               llvm::Value **match_index = nullptr);
  llvm::Value *hist_index(llvm::Value *v, uint32_t bits);
  llvm::Value *lhist_index(llvm::Value *v, const types::Type &lhist);

  void read_memory(llvm::Value *dst, uint64_t size, llvm::Value *address, bool user);
  // With -k, reports a negative helper result at the expression being lowered.
  void check_helper(const std::string &helper, llvm::Value *result);
  // Reports that `helper` returned `result` there (the caller decides when).
  void report_helper(const std::string &helper, llvm::Value *result);
  // Sets `info`'s place in the script to `loc`; `with_line` adds the text of
  // its line, which the runtime underlines.
  void locate(EventInfo &info, const ast::Location &loc, bool with_line) const;
  // The macro calls the code being lowered was expanded from, innermost first.
  std::vector<SourcePlace> expansions() const;
  // Whether an address of this type points into user memory.
  bool user_address(const types::Type &type) const;

  // C values in memory (memory_access.cpp).
  std::optional<RemoteValue> remote_address(ast::Expr &expr);
  CgValue read_remote(const RemoteValue &remote, const types::TypePtr &as);
  // path() where bpf_d_path is not allowed (path_walk.cpp).
  CgValue walk_path(llvm::Value *path, const types::TypePtr &result_type);

  // Stacks.
  static constexpr uint64_t kMaxStackFrames = 127;
  llvm::GlobalVariable *stack_map(bool user);
  CgValue stack_value(const types::TypePtr &type);
  CgValue user_stack_value(llvm::Value *id, const types::TypePtr &type);
  // dw_ustack: the user stack unwound by DWARF call frame information, and
  // its number of frames (len(dw_ustack)).
  CgValue dwarf_stack_value(const types::TypePtr &type);
  CgValue dwarf_stack_depth(uint64_t limit);
  // Calls the unwinder: the frames << 32 | the stack's id.
  llvm::Value *unwind_dwarf_stack(uint64_t limit);
  // The number of frames of the current kernel or user stack, at most
  // `limit` (0: the most a stack keeps).
  CgValue stack_depth(bool user, uint64_t limit);
  llvm::Value *current_process();

  // Builtins.
  CgValue builtin_variable(ast::Identifier &node);
  void emit_formatted(EventKind kind, const std::string &format, ast::Call &node, size_t first_arg);
  // exit(code): the event, then the program returns.
  void emit_exit(const CgValue &code);
  // The value of a call that has none.
  CgValue no_value(const ast::Expr &node);
  // A call of a function of an imported `.bpf.c` file.
  CgValue c_function_call(ast::Call &node, const sema::CFunction &function);
  CgValue tracepoint_field(const types::Field &field, const types::TypePtr &type);
  llvm::Value *probe_index();
  // The address the probe fired at: the probed function's at a return.
  llvm::Value *probed_ip();
  // uaddr() of a symbol of a PIE or shared library: its address plus the
  // load base (where the probe fired less where its target probes), or
  // null when a target's probed address is unknown.
  llvm::Value *load_relative_address(uint64_t address);
  // The name of the probe that fired, as a string of `type`.
  CgValue probe_name_text(const types::TypePtr &type);
  void emit_syscall_dispatch();
  void emit_pid_filter();
  void emit_exit_check();
  llvm::Value *register_argument(uint64_t index);
  // ppid, pcomm, leader_tid, leader_comm of the task_struct at `task`.
  CgValue task_builtin(const std::string &name, llvm::Value *task, const types::TypePtr &type);
  // The current pid and tid packed as get_current_pid_tgid packs them
  // (pid << 32 | tid); with `own_namespace`, as sonde's pid namespace sees
  // them (0 for a task outside it).
  llvm::Value *current_pid_tgid(bool own_namespace);
  // comm(pid): the comm of the task with that pid (bpf_task_from_pid), or
  // "[Unknown]" when there is none, as bpftrace's stdlib has it.
  CgValue comm_of_pid(llvm::Value *pid, const types::TypePtr &type);
  CgValue task_field(llvm::Value *task, const std::string &field, const types::TypePtr &as);
  llvm::Value *usdt_argument(const sema::MachineArgument &arg, const types::TypePtr &type);

  // Lowers `body` into `callback` (callback_frame.cpp), a frame of its own
  // that reaches the probe's ctx, the scratch buffer, every visible variable
  // and the `extra` pointers (handed to `body`) through a block of pointers on
  // this frame's stack. Returns that block, for the helper that calls
  // `callback` with it as argument `block_arg`.
  llvm::Value *
  lower_in_callback(llvm::Function *callback, unsigned block_arg, const ast::Node &at,
                    std::vector<llvm::Value *> extra,
                    const std::function<void(const std::vector<llvm::Value *> &extra)> &body);
  // Map iteration (map_iteration.cpp): runs `body` for each entry of `map`
  // in a bpf_for_each_map_elem callback; outer variables stay reachable.
  // `extra` pointers from the probe's frame are handed to the body too.
  void for_each_entry(const ast::MapRef &map, std::vector<llvm::Value *> extra,
                      const std::function<void(llvm::Value *key, llvm::Value *value,
                                               const std::vector<llvm::Value *> &extra)> &body);
  CgValue map_length(const ast::MapRef &map);
  // `for ($i : a..b)` with a run-time bound (range_loop.cpp).
  void range_loop_callback(ast::ForRange &node);
  CgValue map_entry_value(llvm::Value *value, const types::TypePtr &map_value,
                          const types::TypePtr &read_type);

  // Variables.
  llvm::Value *variable_slot(const std::string &name);
  // In the innermost scope, or with `whole_probe` in the probe's outermost one.
  // `definition` is the node that defines it (see shared_variables.h).
  llvm::Value *define_variable(const std::string &name, const types::TypePtr &type,
                               const ast::Node &definition, bool whole_probe = false);

  ScriptState &script_;
  const sema::ProbeInfo &probe_;
  const sema::ProbeInstance &instance_;
  std::vector<size_t> probe_indices_; // into CompiledScript::probe_names, per target
  bool as_raw_tracepoint_;
  std::vector<std::pair<uint64_t, size_t>> syscall_dispatch_;
  bool syscall_exit_ = false;
  llvm::Value *dispatched_probe_ = nullptr; // slot with the probe index

  llvm::IRBuilder<> b_;
  HelperCalls h_;
  llvm::Function *fn_ = nullptr;         // the function being lowered
  llvm::Function *program_fn_ = nullptr; // the probe's program, not a callback
  // By map index: the stack slot counting the program's failed updates.
  std::map<uint32_t, llvm::Value *> map_full_tallies_;
  size_t program_updates_ = 0; // map updates lowered in the probe's own function
  size_t tallied_updates_ = 0;
  llvm::Value *ctx_ = nullptr;
  llvm::BasicBlock *entry_ = nullptr;
  llvm::Value *scratch_base_ = nullptr;
  llvm::BasicBlock *slots_block_ = nullptr; // where scratch slot addresses are computed
  bool in_callback_ = false;                // lowering a for-each-map callback
  // In a `for` loop's callback: set when the probe returns from the body, so
  // that the code after the loop does not run either.
  llvm::Value *probe_returned_ = nullptr;
  int callback_count_ = 0;
  uint64_t scratch_used_ = 0;
  uint64_t stack_used_ = 0;
  // Temporaries are reused once the statement that asked for them is done:
  // free slots by size, and the slots each statement being lowered holds.
  struct Slot {
    uint64_t size;
    llvm::Value *address;
  };
  std::map<uint64_t, std::vector<llvm::Value *>> free_slots_;
  std::vector<std::vector<Slot>> statement_slots_;
  CgValue result_;
  ast::Location location_;                 // of the statement being lowered
  ast::Location expression_;               // of the innermost expression being lowered
  std::vector<ast::Location> macro_calls_; // the macro expansions being lowered

  std::vector<std::map<std::string, std::pair<llvm::Value *, types::TypePtr>>> scopes_;
  // Definitions of variables that live in scratch (shared_variables.h).
  std::set<const ast::Node *> shared_variables_;
  struct Loop {
    llvm::BasicBlock *continue_to;
    llvm::BasicBlock *break_to;
  };
  std::vector<Loop> loops_;
};

} // namespace sonde::codegen
