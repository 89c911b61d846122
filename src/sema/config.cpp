#include "sema/config.h"

#include "sema/license.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>
#include <optional>

namespace sonde::sema {

namespace {

std::optional<std::string> env_value(const std::string &key) {
  std::string upper;
  for (char c : key)
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const char *prefix : {"SONDE_", "BPFTRACE_"})
    if (const char *v = std::getenv((prefix + upper).c_str()))
      return std::string(v);
  return std::nullopt;
}

// The most bytes cat() may be asked to read.
constexpr uint64_t kMaxCatBytes = uint64_t{1} << 30;

std::optional<uint64_t> parse_uint(const std::string &s) {
  // strtoull would take "-1" as 2^64-1.
  if (s.empty() || s[0] == '-' || std::isspace(static_cast<unsigned char>(s[0])))
    return std::nullopt;
  char *end = nullptr;
  uint64_t v = std::strtoull(s.c_str(), &end, 0);
  if (*end != '\0')
    return std::nullopt;
  return v;
}

std::optional<bool> parse_bool(const std::string &s) {
  if (s == "1" || s == "true")
    return true;
  if (s == "0" || s == "false")
    return false;
  return std::nullopt;
}

// Applies one setting; returns an error message, or "" when it was accepted.
std::string apply(Config &config, const std::string &key, const std::string &value) {
  auto set_uint = [&](uint64_t &field) -> std::string {
    auto v = parse_uint(value);
    if (!v)
      return "Invalid value for " + key + ": expected a non-negative integer, got '" + value + "'";
    field = *v;
    return "";
  };
  auto set_bool = [&](bool &field) -> std::string {
    auto v = parse_bool(value);
    if (!v)
      return "Invalid value for " + key + ": expected true or false";
    field = *v;
    return "";
  };
  if (key == "max_strlen") {
    std::string err = set_uint(config.max_strlen);
    if (err.empty() && (config.max_strlen < 2 || config.max_strlen > 65536))
      return "max_strlen must be between 2 and 65536";
    return err;
  }
  auto set_uint_between = [&](uint64_t &field, uint64_t low, uint64_t high) -> std::string {
    std::string err = set_uint(field);
    if (err.empty() && (field < low || field > high))
      return key + " must be between " + std::to_string(low) + " and " + std::to_string(high) +
             ", got " + value;
    return err;
  };
  if (key == "max_map_keys")
    return set_uint_between(config.max_map_keys, 1, kMaxMapKeys);
  if (key == "max_cat_bytes")
    return set_uint_between(config.max_cat_bytes, 1, kMaxCatBytes);
  if (key == "max_probes")
    return set_uint(config.max_probes);
  if (key == "max_bpf_progs")
    return set_uint(config.max_bpf_progs);
  if (key == "perf_rb_pages") {
    uint64_t pages = 0;
    std::string err = set_uint(pages);
    if (err.empty() && pages == 0)
      return "perf_rb_pages must be at least 1";
    config.perf_rb_pages = pages;
    return err;
  }
  if (key == "on_stack_limit")
    return set_uint(config.on_stack_limit);
  if (key == "log_size")
    return set_uint(config.log_size);
  if (key == "print_maps_on_exit")
    return set_bool(config.print_maps_on_exit);
  if (key == "show_debug_info")
    return set_bool(config.show_debug_info);
  if (key == "cpp_demangle")
    return set_bool(config.cpp_demangle);
  if (key == "lazy_symbolication")
    return set_bool(config.lazy_symbolication);
  if (key == "cache_user_symbols") {
    if (value == "PER_PID")
      config.cache_user_symbols = UserSymbolCache::PerPid;
    else if (value == "PER_PROGRAM")
      config.cache_user_symbols = UserSymbolCache::PerProgram;
    else if (value == "NONE")
      config.cache_user_symbols = UserSymbolCache::None;
    else
      return "Invalid value for cache_user_symbols: expected PER_PID, PER_PROGRAM or NONE";
    return "";
  }
  if (key == "license") {
    if (!gpl_compatible(value))
      return non_gpl_license_error(value);
    config.license = value;
    return "";
  }
  if (key == "str_trunc_trailer") {
    config.str_trunc_trailer = value;
    return "";
  }
  if (key == "stack_mode") {
    if (value == "bpftrace")
      config.stack_mode = StackMode::Bpftrace;
    else if (value == "perf")
      config.stack_mode = StackMode::Perf;
    else if (value == "raw")
      config.stack_mode = StackMode::Raw;
    else if (value == "build_id")
      config.stack_mode = StackMode::BuildId;
    else
      return "Invalid value for stack_mode: expected bpftrace, perf, raw or build_id";
    return "";
  }
  if (key == "missing_probes") {
    if (value == "error")
      config.missing_probes = MissingProbes::Error;
    else if (value == "warn")
      config.missing_probes = MissingProbes::Warn;
    else if (value == "ignore")
      config.missing_probes = MissingProbes::Ignore;
    else
      return "Invalid value for missing_probes: expected error, warn or ignore";
    return "";
  }
  for (const auto &feature : kUnstableFeatures) {
    if (key != std::string("unstable_") + feature.name)
      continue;
    if (value == "error" || value == "0" || value == "false")
      config.*feature.setting = Unstable::Error;
    else if (value == "warn")
      config.*feature.setting = Unstable::Warn;
    else if (value == "enable" || value == "1" || value == "true")
      config.*feature.setting = Unstable::Enable;
    else
      return "Invalid value for " + key + ": expected error, warn or enable";
    return "";
  }
  return "Unrecognized config variable: " + key;
}

const char *const kKeys[] = {"max_strlen",         "max_map_keys",  "max_cat_bytes",
                             "max_probes",         "max_bpf_progs", "perf_rb_pages",
                             "on_stack_limit",     "log_size",      "print_maps_on_exit",
                             "show_debug_info",    "cpp_demangle",  "lazy_symbolication",
                             "cache_user_symbols", "license",       "str_trunc_trailer",
                             "stack_mode",         "missing_probes"};

// Settings read where sonde starts (kernel sources, BTF, colours), before any
// script is parsed.
const char *const kEnvironmentOnlyKeys[] = {"btf",           "color",   "kernel_build",
                                            "kernel_source", "vmlinux", "debug_output"};

// Keys bpftrace no longer reads (the features they gated are stable, or the
// setting is gone): accepted with a warning, as bpftrace 0.26 does.
const char *const kDeprecatedKeys[] = {"unstable_macro", "unstable_map_decl", "symbol_source",
                                       "max_type_res_iterations"};

std::string literal_text(const ast::Expr &e) {
  if (auto *i = dynamic_cast<const ast::IntegerLiteral *>(&e))
    return std::to_string(i->value);
  if (auto *s = dynamic_cast<const ast::StringLiteral *>(&e))
    return s->value;
  if (auto *b = dynamic_cast<const ast::BoolLiteral *>(&e))
    return b->value ? "true" : "false";
  if (auto *id = dynamic_cast<const ast::Identifier *>(&e))
    return id->name;
  return "";
}

// `BPFTRACE_STACK_MODE`, `STACK_MODE` and `stack_mode` name the same key.
std::string config_key(std::string key) {
  for (auto &c : key)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string prefix : {"sonde_", "bpftrace_"})
    if (key.rfind(prefix, 0) == 0)
      key = key.substr(prefix.size());
  return key;
}

} // namespace

Config resolve_config(const ast::Program &program, Diagnostics &diags) {
  Config config;
  for (const auto &entry : program.config) {
    std::string key = config_key(entry->key);
    if (std::find(std::begin(kDeprecatedKeys), std::end(kDeprecatedKeys), key) !=
        std::end(kDeprecatedKeys)) {
      diags.warning(entry->loc, entry->key + " is deprecated and has no effect");
      continue;
    }
    bool environment_only =
        std::find(std::begin(kEnvironmentOnlyKeys), std::end(kEnvironmentOnlyKeys), key) !=
        std::end(kEnvironmentOnlyKeys);
    std::string err = environment_only ? key + " can only be set as an environment variable"
                                       : apply(config, key, literal_text(*entry->value));
    if (!err.empty())
      diags.error(entry->loc, err);
  }
  ast::Location nowhere;
  std::vector<std::string> keys(std::begin(kKeys), std::end(kKeys));
  for (const auto &feature : kUnstableFeatures)
    keys.push_back(std::string("unstable_") + feature.name);
  for (const auto &key : keys) {
    if (auto v = env_value(key)) {
      std::string err = apply(config, key, *v);
      if (!err.empty())
        diags.error(nowhere, err + " (from the environment)");
    }
  }
  // Without a license setting, the script's SPDX comment names it.
  bool license_set = env_value("license") ||
                     std::any_of(program.config.begin(), program.config.end(),
                                 [](const auto &e) { return config_key(e->key) == "license"; });
  if (!license_set)
    if (auto spdx = find_spdx_license(diags.source().text)) {
      if (spdx->license.empty())
        diags.error(spdx->loc, non_gpl_license_error(spdx->expression));
      else
        config.license = spdx->license;
    }
  return config;
}

} // namespace sonde::sema
