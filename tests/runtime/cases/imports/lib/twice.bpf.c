unsigned long lib_twice(unsigned long value) { return value * 2; }
