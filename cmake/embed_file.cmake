# cmake -DINPUT=FILE -DOUTPUT=FILE.cpp -DNAME=IDENTIFIER -P embed_file.cmake
# writes a C++ source that defines `std::string_view sonde::NAME()`, the
# bytes of INPUT.
file(READ ${INPUT} bytes HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${bytes}")
file(WRITE ${OUTPUT} "// Generated from ${INPUT} by cmake/embed_file.cmake.\n"
  "#include <string_view>\n"
  "namespace sonde {\n"
  "static const char ${NAME}_bytes[] = {${bytes}};\n"
  "std::string_view ${NAME}() { return {${NAME}_bytes, sizeof ${NAME}_bytes}; }\n"
  "} // namespace sonde\n")
