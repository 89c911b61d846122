#include "runtime/output/text_output.h"

#include "runtime/output/map_print.h"

#include <ostream>

namespace sonde::output {

void TextOutput::attached_probes(uint64_t count) {
  err_ << "Attached " << count << (count == 1 ? " probe" : " probes") << "\n";
}

void TextOutput::printf(const std::string &text) { out_ << text; }

void TextOutput::print_value(const types::Type &type, const uint8_t *bytes) {
  out_ << formatter_.text(type, bytes) << "\n";
}

void TextOutput::print_map(const MapInfo &map, const MapEntries &entries, uint64_t top,
                           uint64_t div, const TSeriesBounds &bounds) {
  output::print_map(out_, map, entries, top, div, formatter_, bounds);
}

void TextOutput::time(const std::string &text) { out_ << text; }

void TextOutput::cat(const std::string &text) { out_ << text; }

void TextOutput::join(const std::string &text) { out_ << text << "\n"; }

void TextOutput::system_output(const std::string &text) { out_ << text; }

void TextOutput::lost_events(uint64_t count) { err_ << "WARNING: " << count << " events lost\n"; }

void TextOutput::helper_error(const HelperError &error) {
  located(Severity::Warning, *error.event,
          error.message + "\nAdditional Info - helper: " + error.helper +
              ", retcode: " + std::to_string(error.retcode));
}

void TextOutput::end() { out_ << "\n\n"; }

} // namespace sonde::output
