#include "types/c_definitions.h"

#include "types/btf_types.h"
#include "types/c_definitions_libclang.h"
#include "types/c_definitions_macros.h"
#include "types/c_definitions_state.h"

#include <algorithm>
#include <set>

namespace sonde::types {

namespace {

// Files that exist only in Clang's memory.
constexpr const char *kMainFile = "/sonde-virtual/definitions.c";
constexpr const char *kKernelHeader = "/sonde-virtual/kernel_btf.h";
constexpr const char *kMissingDir = "/sonde-virtual/missing";

bool is_preprocessor_line(const std::string &text) {
  size_t first = text.find_first_not_of(" \t");
  return first != std::string::npos && text[first] == '#';
}

std::string quoted_for_line_marker(const std::string &file) {
  std::string quoted = "\"";
  for (char c : file) {
    if (c == '"' || c == '\\')
      quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

// The script's C with line markers, so that Clang's locations are the
// script's; a definition written without its final `;` gets one.
std::string main_file(const std::vector<CSource> &sources, const std::string &file_name) {
  std::string text;
  for (const CSource &source : sources) {
    const std::string &file = source.file.empty() ? file_name : source.file;
    text += "#line " + std::to_string(source.line) + " " + quoted_for_line_marker(file) + "\n";
    text += std::string(source.column > 1 ? source.column - 1 : 0, ' ') + source.text;
    size_t last = source.text.find_last_not_of(" \t\r\n");
    if (!is_preprocessor_line(source.text) && last != std::string::npos && source.text[last] != ';')
      text += ";";
    text += "\n";
  }
  return text;
}

// The quoted names in a message: "field has incomplete type 'struct path'".
std::vector<std::string> quoted_names(const std::string &message) {
  std::vector<std::string> names;
  size_t open = message.find('\'');
  while (open != std::string::npos) {
    size_t close = message.find('\'', open + 1);
    if (close == std::string::npos)
      break;
    std::string name = message.substr(open + 1, close - open - 1);
    for (std::string_view qualifier : {"const ", "volatile "})
      if (name.starts_with(qualifier))
        name.erase(0, qualifier.size());
    names.push_back(std::move(name));
    open = message.find('\'', close + 1);
  }
  return names;
}

// Clang's ways of saying that a type or an enumerator is not known.
bool names_something_unknown(const std::string &message) {
  for (std::string_view phrase : {"unknown type name", "incomplete type", "incomplete element type",
                                  "incomplete definition of type", "undeclared identifier"})
    if (message.find(phrase) != std::string::npos)
      return true;
  return false;
}

// "'linux/path.h' file not found" → "linux/path.h".
std::optional<std::string> missing_header(const std::string &message) {
  constexpr std::string_view suffix = "' file not found";
  if (!message.starts_with('\'') || !message.ends_with(suffix))
    return std::nullopt;
  return message.substr(1, message.size() - 1 - suffix.size());
}

// Whether `header` is one of the kernel's ("linux/sched.h", "net/sock.h"),
// whose types the kernel's BTF has; a missing header of another tree is an
// error, as in bpftrace.
bool kernel_header(const std::string &header) {
  static const char *const kTrees[] = {
      "linux/",  "net/",         "uapi/",     "asm/",    "asm-generic/", "scsi/", "trace/",
      "crypto/", "keys/",        "rdma/",     "sound/",  "video/",       "drm/",  "xen/",
      "kvm/",    "media/",       "misc/",     "soc/",    "acpi/",        "ras/",  "target/",
      "vdso/",   "clocksource/", "math-emu/", "pcmcia/", "dt-bindings/"};
  return std::any_of(std::begin(kTrees), std::end(kTrees),
                     [&](const char *tree) { return header.starts_with(tree); });
}

} // namespace

// One parse_c_definitions call: parses until every missing header has a
// stand-in and every type BTF can supply is supplied.
class CParser {
public:
  CParser(const Libclang &clang, const std::vector<CSource> &sources, const CParseOptions &options)
      : clang_(clang), options_(options), main_(main_file(sources, options.file_name)),
        first_line_(sources.empty() ? 1 : sources.front().line), index_(clang.createIndex(0, 0)) {}
  ~CParser() {
    if (index_)
      clang_.disposeIndex(index_);
  }

  CParseResult run() {
    CParseResult result;
    CXTranslationUnit unit = nullptr;
    std::vector<CDiagnostic> errors;
    for (;;) {
      if (!(unit = parse("")))
        return failure();
      errors = diagnostics(unit);
      if (!borrow_from_kernel(errors, result.warnings))
        break;
      clang_.disposeTranslationUnit(unit);
    }
    if (!errors.empty()) {
      clang_.disposeTranslationUnit(unit);
      result.errors = std::move(errors);
      return result;
    }
    std::map<std::string, int64_t, std::less<>> macros;
    if (auto names = expression_macros(clang_, unit); !names.empty()) {
      clang_.disposeTranslationUnit(unit);
      if (!(unit = parse(macro_probes(names))))
        return failure();
      read_macro_values(clang_, unit, macros);
    }
    auto state = std::make_unique<CTypes::State>(clang_, index_, unit, options_.function_files);
    index_ = nullptr;
    for (auto &[name, value] : macros)
      state->constants.insert_or_assign(name, value);
    result.types = CTypes(std::move(state));
    return result;
  }

private:
  // The main file followed by `trailer`; null when Clang gives up (not for
  // errors in the C, which are diagnostics of the unit).
  CXTranslationUnit parse(const std::string &trailer) {
    std::vector<std::string> args = {"-x", "c", "-std=gnu17", "-w", "-ferror-limit=0"};
    for (const std::string &dir : options_.include_dirs)
      args.insert(args.end(), {"-I", dir});
    for (const std::string &file : options_.forced_includes)
      args.insert(args.end(), {"-include", file});
    if (!kernel_source_.empty())
      args.insert(args.end(), {"-include", kKernelHeader});
    if (!stubs_.empty())
      args.insert(args.end(), {"-idirafter", kMissingDir});
    std::vector<const char *> argv;
    for (const std::string &arg : args)
      argv.push_back(arg.c_str());

    std::string main = main_ + trailer;
    std::vector<std::string> stub_paths;
    for (const std::string &header : stubs_)
      stub_paths.push_back(std::string(kMissingDir) + "/" + header);
    std::vector<CXUnsavedFile> files = {{kMainFile, main.data(), main.size()}};
    if (!kernel_source_.empty())
      files.push_back({kKernelHeader, kernel_source_.data(), kernel_source_.size()});
    for (const std::string &path : stub_paths)
      files.push_back({path.c_str(), "", 0});

    CXTranslationUnit unit = nullptr;
    CXErrorCode code = clang_.parseTranslationUnit2(
        index_, kMainFile, argv.data(), static_cast<int>(argv.size()), files.data(),
        static_cast<unsigned>(files.size()),
        CXTranslationUnit_DetailedPreprocessingRecord | CXTranslationUnit_KeepGoing, &unit);
    return code == CXError_Success ? unit : nullptr;
  }

  CParseResult failure() const {
    CParseResult result;
    result.errors.push_back(
        CDiagnostic{options_.file_name, first_line_, 1, "Clang could not parse the C definitions"});
    return result;
  }

  std::vector<CDiagnostic> diagnostics(CXTranslationUnit unit) {
    std::vector<CDiagnostic> errors;
    for (unsigned i = 0; i < clang_.getNumDiagnostics(unit); i++) {
      CXDiagnostic diagnostic = clang_.getDiagnostic(unit, i);
      if (clang_.getDiagnosticSeverity(diagnostic) >= CXDiagnostic_Error) {
        CXString file;
        unsigned line = 0, column = 0;
        clang_.getPresumedLocation(clang_.getDiagnosticLocation(diagnostic), &file, &line, &column);
        errors.push_back(CDiagnostic{clang_.take(file), static_cast<int>(line),
                                     static_cast<int>(column),
                                     clang_.take(clang_.getDiagnosticSpelling(diagnostic))});
      }
      clang_.disposeDiagnostic(diagnostic);
    }
    return errors;
  }

  // Stands in for missing headers and supplies unknown types from BTF.
  // Whether anything changed, so that parsing again may succeed.
  bool borrow_from_kernel(const std::vector<CDiagnostic> &errors,
                          std::vector<CDiagnostic> &warnings) {
    KernelTypes *kernel = options_.kernel;
    if (!kernel || !kernel->available())
      return false;
    bool changed = false;
    for (const CDiagnostic &error : errors) {
      if (auto header = missing_header(error.message)) {
        if (kernel_header(*header) && stubs_.insert(*header).second) {
          warnings.push_back(error);
          warnings.back().message = "'" + *header + "' not found; using kernel BTF for its types";
          changed = true;
        }
        continue;
      }
      if (!names_something_unknown(error.message))
        continue;
      for (const std::string &name : quoted_names(error.message))
        if (!borrowed_.contains(name) &&
            (kernel->has_type(name) || kernel->enum_value(name).has_value())) {
          borrowed_.insert(name);
          changed = true;
        }
    }
    if (changed)
      kernel_source_ = kernel->c_source({borrowed_.begin(), borrowed_.end()});
    return changed;
  }

  const Libclang &clang_;
  const CParseOptions &options_;
  std::string main_;
  int first_line_;
  CXIndex index_;
  std::set<std::string> stubs_;    // headers standing in for missing ones
  std::set<std::string> borrowed_; // names defined from BTF
  std::string kernel_source_;      // their C
};

CParseResult parse_c_definitions(const std::vector<CSource> &sources,
                                 const CParseOptions &options) {
  if (sources.empty() && options.forced_includes.empty())
    return {};
  std::string error;
  const Libclang *clang = Libclang::get(error);
  if (!clang) {
    CParseResult result;
    int line = sources.empty() ? 1 : sources.front().line;
    int column = sources.empty() ? 1 : sources.front().column;
    result.errors.push_back(CDiagnostic{options.file_name, line, column, error});
    return result;
  }
  return CParser(*clang, sources, options).run();
}

} // namespace sonde::types
