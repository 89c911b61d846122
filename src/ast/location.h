#pragma once

namespace sonde::ast {

// A range in the script text. Lines and columns are 1-based; `end_col` is the
// column just past the last character, as Bison's location type counts it.
struct Location {
  int begin_line = 1;
  int begin_col = 1;
  int end_line = 1;
  int end_col = 1;
  // Which file the range is in: 0 is the script, others are the files it
  // imports (see Diagnostics::add_source).
  int source = 0;
};

} // namespace sonde::ast
