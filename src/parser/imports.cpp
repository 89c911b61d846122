#include "parser/imports.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <utility>
#include <vector>

namespace sonde::parser {

namespace {

enum class FileKind { Script, Header, BpfC, Other };

FileKind kind_of(const std::string &path) {
  if (path.ends_with(".bpf.c"))
    return FileKind::BpfC;
  if (path.ends_with(".bt"))
    return FileKind::Script;
  if (path.ends_with(".h"))
    return FileKind::Header;
  return FileKind::Other;
}

std::string directory_of(const std::string &path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos)
    return "";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string joined(const std::string &dir, const std::string &path) {
  if (dir.empty() || path.starts_with('/'))
    return path;
  return dir.ends_with('/') ? dir + path : dir + "/" + path;
}

// What the imports of a program bring, in the order they come.
struct Imported {
  std::vector<std::unique_ptr<ast::CDefinition>> c_definitions;
  std::vector<std::unique_ptr<ast::MapDecl>> map_decls;
  std::vector<std::unique_ptr<ast::Macro>> macros;
  std::vector<std::unique_ptr<ast::Probe>> probes;
  std::vector<ast::Program::ImportedFile> bpf_c_files;
};

template <class T> void append(std::vector<T> &to, std::vector<T> &from) {
  std::move(from.begin(), from.end(), std::back_inserter(to));
  from.clear();
}

class Importer {
public:
  Importer(Diagnostics &diags, const ParseOptions &options) : diags_(diags), options_(options) {}

  void mark_imported(const std::string &path) {
    if (char *real = realpath(path.c_str(), nullptr)) {
      seen_.insert(real);
      free(real);
    }
  }

  // The imports of a program read from a file in `dir`.
  void import_all(const std::vector<std::unique_ptr<ast::Import>> &imports,
                  const std::string &dir) {
    for (const auto &import : imports)
      import_path(*import, joined(dir, import->path));
  }

  Imported &result() { return imported_; }

private:
  void import_path(const ast::Import &import, const std::string &path) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      diags_.error(import.loc, "cannot import \"" + import.path + "\": " + std::strerror(errno));
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      if (!safe_directory(import, path))
        return;
      for (const std::string &name : supported_files(import, path))
        import_file(import, joined(path, name));
      return;
    }
    if (kind_of(path) == FileKind::Other) {
      diags_.error(import.loc, "cannot import \"" + import.path +
                                   "\": only .bt scripts, .h headers, .bpf.c sources and "
                                   "directories of them can be imported");
      return;
    }
    std::string dir = directory_of(path);
    if (safe_directory(import, dir.empty() ? "." : dir))
      import_file(import, path);
  }

  // A world-writable directory would let anyone change what is loaded into
  // the kernel.
  bool safe_directory(const ast::Import &import, const std::string &dir) {
    struct stat st;
    if (stat(dir.c_str(), &st) == 0 && (st.st_mode & S_IWOTH)) {
      diags_.error(import.loc, "cannot import \"" + import.path + "\": refusing to import from '" +
                                   dir + "', a world-writable directory");
      return false;
    }
    return true;
  }

  std::vector<std::string> supported_files(const ast::Import &import, const std::string &dir) {
    std::vector<std::string> names;
    DIR *d = opendir(dir.c_str());
    if (!d) {
      diags_.error(import.loc, "cannot import \"" + import.path + "\": " + std::strerror(errno));
      return names;
    }
    while (struct dirent *entry = readdir(d)) {
      std::string name = entry->d_name;
      struct stat st;
      if (kind_of(name) != FileKind::Other && stat(joined(dir, name).c_str(), &st) == 0 &&
          S_ISREG(st.st_mode))
        names.push_back(std::move(name));
    }
    closedir(d);
    std::sort(names.begin(), names.end());
    return names;
  }

  void import_file(const ast::Import &import, const std::string &path) {
    char *real = realpath(path.c_str(), nullptr);
    if (!real) {
      diags_.error(import.loc, "cannot import \"" + import.path + "\": " + std::strerror(errno));
      return;
    }
    std::string canonical = real;
    free(real);
    if (!seen_.insert(canonical).second)
      return;
    switch (kind_of(path)) {
    case FileKind::Script:
      import_script(import, path);
      break;
    case FileKind::BpfC:
      imported_.bpf_c_files.push_back({canonical, import.loc});
      [[fallthrough]];
    case FileKind::Header: {
      auto include = std::make_unique<ast::CDefinition>();
      include->loc = import.loc;
      include->text = "#include \"" + canonical + "\"";
      imported_.c_definitions.push_back(std::move(include));
      break;
    }
    case FileKind::Other:
      break;
    }
  }

  void import_script(const ast::Import &import, const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      diags_.error(import.loc, "cannot import \"" + import.path + "\": cannot read " + path);
      return;
    }
    ParseOptions options = options_;
    options.source_id = diags_.add_source(Source{path, text.str()});
    auto program = parse(diags_.source(options.source_id), diags_, options);
    if (!program)
      return;
    if (!program->config.empty())
      diags_.error(program->config.front()->loc,
                   "an imported script cannot have a config block (only the main script can)");
    import_all(program->imports, directory_of(path));
    append(imported_.c_definitions, program->c_definitions);
    append(imported_.map_decls, program->map_decls);
    append(imported_.macros, program->macros);
    append(imported_.probes, program->probes);
  }

  Diagnostics &diags_;
  const ParseOptions &options_;
  std::set<std::string> seen_; // canonical paths
  Imported imported_;
};

// `into` becomes `first` followed by what it had.
template <class T> void prepend(std::vector<T> &into, std::vector<T> &first) {
  append(first, into);
  into = std::move(first);
}

} // namespace

bool resolve_imports(ast::Program &program, const std::string &script_path, Diagnostics &diags,
                     const ParseOptions &options) {
  if (program.imports.empty())
    return true;
  bool from_file = !script_path.empty() && script_path != "-";
  Importer importer(diags, options);
  if (from_file)
    importer.mark_imported(script_path);
  importer.import_all(program.imports, from_file ? directory_of(script_path) : "");
  if (diags.has_errors())
    return false;
  Imported &imported = importer.result();
  append(program.c_definitions, imported.c_definitions);
  prepend(program.map_decls, imported.map_decls);
  prepend(program.macros, imported.macros);
  prepend(program.probes, imported.probes);
  program.bpf_c_files = std::move(imported.bpf_c_files);
  return true;
}

} // namespace sonde::parser
