#pragma once

// Returns 3 * x (libprobe_lib.so).
int probe_lib_scale(int x);
