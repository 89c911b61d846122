#include "common/diagnostics.h"

#include <gtest/gtest.h>

namespace sonde {
namespace {

ast::Location columns(int begin, int end) {
  ast::Location loc;
  loc.begin_col = begin;
  loc.end_col = end;
  return loc;
}

// Script bytes reach the terminal escaped, and the underline still points at
// the right place.
TEST(DiagnosticsRender, EscapesControlBytes) {
  Source source{"stdin", "a\x1b[2Jb c"};
  Diagnostics diags(source);
  diags.error(columns(7, 8), "bad \x1b[31m here\nsecond line", "try \x07");
  EXPECT_EQ(diags.render(), "stdin:1:7: ERROR: bad \\x1b[31m here\nsecond line\n"
                            "a\\x1b[2Jb c\n"
                            "         ~\n"
                            "HINT: try \\x07\n");
}

TEST(DiagnosticsRender, UnderlinesAnEscapedByteWhole) {
  Source source{"stdin", "x\ry"};
  Diagnostics diags(source);
  diags.error(columns(2, 3), "carriage return");
  EXPECT_EQ(diags.render(), "stdin:1:2: ERROR: carriage return\nx\\x0dy\n ~~~~\n");
}

} // namespace
} // namespace sonde
