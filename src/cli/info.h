#pragma once

namespace sonde::cli {

// `sonde --info`: what this kernel offers sonde, and why not where it does
// not. Returns the exit status.
int print_info();

} // namespace sonde::cli
