#include "codegen/bpf_c_imports.h"

#include "common/bpf_c_abi.h"

#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/IR/Module.h>
#include <llvm/Linker/Linker.h>
#include <llvm/Support/MemoryBuffer.h>

#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <optional>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace sonde {
// Generated from src/codegen/bpf/NAME.bpf.c (cmake/embed_file.cmake).
std::string_view address_spaces_bitcode();
std::string_view dwarf_unwind_bitcode();
} // namespace sonde

namespace sonde::codegen {

namespace {

// LLVM 19's clang: Debian's name for it, then the LLVM tree's.
const char *find_clang() {
  for (const char *path : {"/usr/bin/clang-19", "/usr/lib/llvm-19/bin/clang"})
    if (access(path, X_OK) == 0)
      return path;
  return nullptr;
}

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A temporary file that is removed with this object.
struct TempFile {
  TempFile() {
    char name[] = "/tmp/sonde-bpf-c-XXXXXX";
    int fd = mkstemp(name);
    if (fd >= 0) {
      close(fd);
      path = name;
    }
  }
  ~TempFile() {
    if (!path.empty())
      unlink(path.c_str());
  }
  std::string path;
};

// Compiles `file` to BPF bitcode; on failure, the error is clang's output.
std::optional<std::string> compile(const std::string &file, std::string &error) {
  const char *clang = find_clang();
  if (!clang) {
    error = "clang-19 is needed to compile imported BPF C, and was not found";
    return std::nullopt;
  }
  TempFile bitcode, messages;
  if (bitcode.path.empty() || messages.path.empty()) {
    error = "cannot create a temporary file to compile imported BPF C";
    return std::nullopt;
  }
  std::vector<std::string> args = {clang, "-target",    "bpfel", "-O2", "-gdwarf-4",
                                   "-c",  "-emit-llvm", file,    "-o",  bitcode.path};
  std::vector<char *> argv;
  for (auto &arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, messages.path.c_str(),
                                   O_WRONLY | O_TRUNC, 0);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, clang, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  if (spawned != 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    error = "cannot compile " + file + ":\n" + read_file(messages.path);
    while (!error.empty() && error.back() == '\n')
      error.pop_back();
    return std::nullopt;
  }
  return read_file(bitcode.path);
}

// Links bitcode into the module, taking only the functions the module calls
// (and what they call); on failure, why.
std::optional<std::string> link_bitcode(BpfModule &module, llvm::MemoryBufferRef bitcode) {
  auto parsed = llvm::parseBitcodeFile(bitcode, module.context());
  if (!parsed)
    return "cannot read the compiled " + bitcode.getBufferIdentifier().str() + ": " +
           llvm::toString(parsed.takeError());
  std::unique_ptr<llvm::Module> linked = std::move(*parsed);
  linked->setTargetTriple(module.module().getTargetTriple());
  linked->setDataLayout(module.module().getDataLayout());
  if (llvm::Linker::linkModules(module.module(), std::move(linked),
                                llvm::Linker::Flags::LinkOnlyNeeded))
    return "cannot link " + bitcode.getBufferIdentifier().str() + " into the script's BPF program";
  return std::nullopt;
}

} // namespace

bool link_bpf_c_files(BpfModule &module, const ast::Program &program, Diagnostics &diags) {
  for (const auto &file : program.bpf_c_files) {
    std::string error;
    auto bitcode = compile(file.path, error);
    if (!bitcode) {
      diags.error(file.loc, error);
      continue;
    }
    if (auto failure = link_bitcode(module, llvm::MemoryBufferRef(*bitcode, file.path)))
      diags.error(file.loc, *failure);
  }
  return !diags.has_errors();
}

void link_sonde_bpf_c(BpfModule &module) {
  struct SondeBpfC {
    const char *file;
    const char *function; // what codegen calls
    std::string_view (*bitcode)();
  };
  const SondeBpfC files[] = {
      {"address_spaces.bpf.c", SONDE_BPF_C_STRING(SONDE_NEW_ADDRESS_SPACE), address_spaces_bitcode},
      {"dwarf_unwind.bpf.c", SONDE_BPF_C_STRING(SONDE_DW_UNWIND), dwarf_unwind_bitcode},
  };
  for (const auto &file : files) {
    llvm::Function *called = module.module().getFunction(file.function);
    if (!called || !called->isDeclaration())
      continue;
    std::string_view bitcode = file.bitcode();
    if (auto failure = link_bitcode(
            module, llvm::MemoryBufferRef({bitcode.data(), bitcode.size()}, file.file)))
      throw std::runtime_error(*failure);
  }
}

} // namespace sonde::codegen
