// exit_with N: exits with status N (checks how -c reports a child's status).
#include <stdlib.h>

int main(int argc, char **argv) { return argc > 1 ? atoi(argv[1]) : 0; }
