// Golden AST files: every tests/unit/data/parser/NAME.bt prints as NAME.ast.
// Run with SONDE_UPDATE_GOLDEN=1 to rewrite the .ast files after a reviewed
// change of the printer or the grammar.

#include "parser_test_support.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sonde::parser::testing {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ParserGolden, DataFiles) {
  fs::path dir = fs::path(SONDE_SOURCE_DIR) / "tests/unit/data/parser";
  bool update = std::getenv("SONDE_UPDATE_GOLDEN") != nullptr;
  int compared = 0;
  for (const auto &entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".bt")
      continue;
    fs::path golden = fs::path(entry.path()).replace_extension(".ast");
    std::string actual = parse_to_text(read_file(entry.path()), {"0"});
    if (update)
      std::ofstream(golden) << actual;
    EXPECT_EQ(actual, read_file(golden)) << entry.path();
    compared++;
  }
  EXPECT_GT(compared, 0);
}

} // namespace
} // namespace sonde::parser::testing
