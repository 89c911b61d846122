#include "runtime/map_sweep.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>
#include <linux/bpf.h>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

namespace sonde::runtime {

namespace {

// Store offsets are 16-bit; beyond this many instructions the program is
// not worth loading (a large value on a machine of many CPUs).
constexpr uint32_t kMaxValueSize = 32767;
constexpr size_t kMaxInstructions = 65536;

bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}

bpf_insn mov_reg(uint8_t dst, uint8_t src) {
  return insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}
bpf_insn mov_imm(uint8_t dst, int32_t imm) {
  return insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
}
bpf_insn call(int32_t helper) { return insn(BPF_JMP | BPF_CALL, 0, 0, 0, helper); }
bpf_insn exit_insn() { return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0); }

// Zeroes `size` bytes at the pointer in `reg`, widest stores first.
void store_zeros(std::vector<bpf_insn> &code, uint8_t reg, uint32_t size) {
  uint32_t offset = 0;
  for (auto [width, bytes] : {std::pair{BPF_DW, 8u}, {BPF_W, 4u}, {BPF_H, 2u}, {BPF_B, 1u}})
    for (; offset + bytes <= size; offset += bytes)
      code.push_back(insn(BPF_ST | BPF_MEM | width, reg, 0, static_cast<int16_t>(offset), 0));
}

// The callback's body: r1 the map, r2 the key, r3 this CPU's value.
void entry_body(std::vector<bpf_insn> &code, MapSweep::Action action, uint32_t value_size,
                uint32_t cpus) {
  if (action == MapSweep::Action::Delete) {
    code.push_back(call(BPF_FUNC_map_delete_elem));
  } else if (cpus == 0) {
    store_zeros(code, BPF_REG_3, value_size);
  } else {
    code.push_back(mov_reg(BPF_REG_6, BPF_REG_1));
    code.push_back(mov_reg(BPF_REG_7, BPF_REG_2));
    for (uint32_t cpu = 0; cpu < cpus; cpu++) {
      code.push_back(mov_reg(BPF_REG_1, BPF_REG_6));
      code.push_back(mov_reg(BPF_REG_2, BPF_REG_7));
      code.push_back(mov_imm(BPF_REG_3, static_cast<int32_t>(cpu)));
      code.push_back(call(BPF_FUNC_map_lookup_percpu_elem));
      size_t skip = code.size();
      code.push_back(insn(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 0, 0));
      store_zeros(code, BPF_REG_0, value_size);
      code[skip].off = static_cast<int16_t>(code.size() - skip - 1);
    }
  }
  code.push_back(mov_imm(BPF_REG_0, 0)); // 0: go on with the next entry
  code.push_back(exit_insn());
}

// The kernel wants BTF for a program with a callback: the main function and
// the callback, each with its prototype.
struct BtfDeleter {
  void operator()(btf *b) const { btf__free(b); }
};

Expected<std::unique_ptr<btf, BtfDeleter>> functions_btf(int &main_id, int &callback_id) {
  std::unique_ptr<btf, BtfDeleter> b(btf__new_empty());
  if (!b)
    return error(std::string("cannot build BTF: ") + std::strerror(errno));
  int integer = btf__add_int(b.get(), "long", 8, BTF_INT_SIGNED);
  int pointer = btf__add_ptr(b.get(), 0);
  int main_proto = btf__add_func_proto(b.get(), integer);
  btf__add_func_param(b.get(), "ctx", pointer);
  main_id = btf__add_func(b.get(), "sonde_sweep", BTF_FUNC_GLOBAL, main_proto);
  int callback_proto = btf__add_func_proto(b.get(), integer);
  for (const char *name : {"map", "key", "value", "ctx"})
    btf__add_func_param(b.get(), name, pointer);
  callback_id = btf__add_func(b.get(), "sonde_sweep_entry", BTF_FUNC_STATIC, callback_proto);
  if (main_id < 0 || callback_id < 0 || btf__load_into_kernel(b.get()) != 0)
    return error(std::string("cannot load BTF: ") + std::strerror(errno));
  return b;
}

} // namespace

Expected<MapSweep> MapSweep::load(int map_fd, Action action, uint32_t value_size, uint32_t cpus) {
  if (value_size > kMaxValueSize)
    return error("values too large to sweep");
  std::vector<bpf_insn> code;
  // r1 = the map, r2 = the callback, r3 = r4 = 0; for_each; return its count.
  code.push_back(insn(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, map_fd));
  code.push_back(insn(0, 0, 0, 0, 0));
  size_t callback_ref = code.size();
  code.push_back(insn(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_2, BPF_PSEUDO_FUNC, 0, 0));
  code.push_back(insn(0, 0, 0, 0, 0));
  code.push_back(mov_imm(BPF_REG_3, 0));
  code.push_back(mov_imm(BPF_REG_4, 0));
  code.push_back(call(BPF_FUNC_for_each_map_elem));
  code.push_back(exit_insn());
  size_t callback = code.size();
  code[callback_ref].imm = static_cast<int32_t>(callback - callback_ref - 1);
  entry_body(code, action, value_size, cpus);
  if (code.size() > kMaxInstructions)
    return error("values too large to sweep");

  int main_id = 0, callback_id = 0;
  auto types = functions_btf(main_id, callback_id);
  if (!types)
    return error(types.error());
  bpf_func_info functions[] = {
      {0, static_cast<uint32_t>(main_id)},
      {static_cast<uint32_t>(callback), static_cast<uint32_t>(callback_id)}};
  LIBBPF_OPTS(bpf_prog_load_opts, opts, .prog_btf_fd = static_cast<uint32_t>(btf__fd(types->get())),
              .prog_flags = BPF_F_SLEEPABLE, .func_info = functions, .func_info_cnt = 2,
              .func_info_rec_size = sizeof(bpf_func_info));
  int fd =
      bpf_prog_load(BPF_PROG_TYPE_SYSCALL, action == Action::Delete ? "sonde_clear" : "sonde_zero",
                    "GPL", code.data(), code.size(), &opts);
  if (fd < 0)
    return error(std::string("cannot load the map sweep: ") + std::strerror(errno));
  return MapSweep(fd);
}

MapSweep::~MapSweep() {
  if (fd_ >= 0)
    close(fd_);
}

Status MapSweep::run() const {
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  if (bpf_prog_test_run_opts(fd_, &opts) != 0)
    return error(std::string("cannot run the map sweep: ") + std::strerror(errno));
  return {};
}

} // namespace sonde::runtime
