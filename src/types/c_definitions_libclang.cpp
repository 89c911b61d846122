#include "types/c_definitions_libclang.h"

#include <dlfcn.h>

namespace sonde::types {

namespace {

// Debian's libclang1-19 names, then the LLVM tree's own link.
constexpr const char *kLibraryNames[] = {"libclang-19.so.19", "libclang-19.so.1",
                                         "/usr/lib/llvm-19/lib/libclang.so"};

struct Loaded {
  Libclang functions;
  std::string error;
  bool ok = false;
};

Loaded load() {
  Loaded loaded;
  void *library = nullptr;
  for (const char *name : kLibraryNames)
    if ((library = dlopen(name, RTLD_NOW | RTLD_LOCAL)))
      break;
  if (!library) {
    loaded.error =
        std::string("cannot load libclang-19 for the script's C definitions: ") + dlerror();
    return loaded;
  }
#define SONDE_LIBCLANG_SYMBOL(name)                                                                \
  loaded.functions.name =                                                                          \
      reinterpret_cast<decltype(loaded.functions.name)>(dlsym(library, "clang_" #name));           \
  if (!loaded.functions.name) {                                                                    \
    loaded.error = "libclang lacks clang_" #name;                                                  \
    return loaded;                                                                                 \
  }
  SONDE_LIBCLANG_FUNCTIONS(SONDE_LIBCLANG_SYMBOL)
#undef SONDE_LIBCLANG_SYMBOL
  loaded.ok = true;
  return loaded;
}

} // namespace

const Libclang *Libclang::get(std::string &error) {
  static const Loaded loaded = load();
  if (!loaded.ok) {
    error = loaded.error;
    return nullptr;
  }
  return &loaded.functions;
}

std::string Libclang::take(CXString text) const {
  const char *chars = getCString(text);
  std::string copy = chars ? chars : "";
  disposeString(text);
  return copy;
}

} // namespace sonde::types
