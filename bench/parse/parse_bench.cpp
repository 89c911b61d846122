// Parse benchmark driver: parses a script file repeatedly and prints the
// fastest and the median wall time of one parse (lexing, parsing, AST
// construction and destruction).
//
//   parse_bench FILE [ITERATIONS]

#include "parser/parser.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [ITERATIONS]\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  int iterations = argc > 2 ? std::atoi(argv[2]) : 20;

  sonde::Source source{argv[1], text.str()};
  std::vector<double> ms;
  for (int i = 0; i < iterations; i++) {
    sonde::Diagnostics diags(source);
    auto start = std::chrono::steady_clock::now();
    auto program = sonde::parser::parse(source, diags);
    program.reset();
    auto end = std::chrono::steady_clock::now();
    if (diags.has_errors()) {
      std::fputs(diags.render().c_str(), stderr);
      return 1;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  size_t lines = std::count(source.text.begin(), source.text.end(), '\n');
  std::printf("%zu lines, %zu bytes: min %.2f ms, median %.2f ms over %d parses\n", lines,
              source.text.size(), ms.front(), ms[ms.size() / 2], iterations);
  return 0;
}
