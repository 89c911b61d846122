#include "codegen/program_codegen.h"

namespace sonde::codegen {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {
uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }
} // namespace

std::vector<EventArg> ProgramCodegen::layout_args(const std::vector<TypePtr> &arg_types,
                                                  uint64_t &size) {
  std::vector<EventArg> args;
  uint64_t offset = 0;
  for (auto type : arg_types) {
    if (type->kind == Kind::Integer && type->size != 8)
      type = types::resized_integer(type, 8);
    offset = align_up(offset, type->align);
    args.push_back({type, offset});
    offset += type->size;
  }
  size = 8 + align_up(offset, 8);
  return args;
}

size_t ProgramCodegen::add_event(EventInfo info) {
  script_.out.events.push_back(std::move(info));
  return script_.out.events.size() - 1;
}

void ProgramCodegen::emit_event(size_t event_index, const std::vector<CgValue> &args) {
  const EventInfo &info = script_.out.events[event_index];
  auto *record = slot(info.size);
  zero(record, info.size); // padding too: the verifier rejects uninitialised bytes
  b_.CreateStore(b_.getInt64(event_index), record);
  for (size_t i = 0; i < args.size(); i++) {
    const auto &arg = info.args[i];
    auto *dst = byte_ptr(record, 8 + arg.offset);
    store_to(dst, args[i], *arg.type);
  }
  output_record(record, info.size);
}

void ProgramCodegen::output_record(llvm::Value *record, uint64_t size) {
  auto *failed =
      h_.call(Helper::RingbufOutput, {script_.ringbuf, record, b_.getInt64(size), b_.getInt64(0)});
  // A full ring buffer drops the record: count it so the loss is reported.
  if_then(b_.CreateICmpNE(failed, b_.getInt64(0)), [&] {
    auto *key = slot(4);
    b_.CreateStore(b_.getInt32(0), key);
    auto *counter = h_.map_lookup(script_.lost_events, key);
    if_then(b_.CreateIsNotNull(counter), [&] {
      b_.CreateStore(b_.CreateAdd(b_.CreateLoad(b_.getInt64Ty(), counter), b_.getInt64(1)),
                     counter);
    });
  });
}

} // namespace sonde::codegen
