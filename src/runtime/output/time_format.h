#pragma once

#include <cstdint>
#include <string>

namespace sonde::output {

// strftime(3) in local time of `ns` since the epoch, with `%f` standing for
// the microseconds within the second (six digits), as bpftrace's strftime()
// and time() accept.
std::string format_time(uint64_t ns, const std::string &format);

} // namespace sonde::output
