#include "runtime/output/json_output.h"

#include "runtime/output/json_string.h"
#include "runtime/output/map_print.h"

#include <ostream>

namespace sonde::output {

void JsonOutput::message(const char *type, const std::string &data_json) {
  out_ << "{\"type\": \"" << type << "\", \"data\": " << data_json << "}\n";
}

void JsonOutput::attached_probes(uint64_t count) {
  out_ << "{\"type\": \"attached_probes\", \"count\": " << count
       << ", \"data\": {\"probes\": " << count << "}}\n";
}

void JsonOutput::printf(const std::string &text) { message("printf", json_quote(text)); }

void JsonOutput::print_value(const types::Type &type, const uint8_t *bytes) {
  message("value", formatter_.json(type, bytes));
}

void JsonOutput::print_map(const MapInfo &map, const std::vector<MapEntry> &entries, uint64_t top,
                           uint64_t div, const TSeriesBounds &) {
  print_map_json(out_, map, entries, top, div, formatter_);
}

void JsonOutput::time(const std::string &text) { message("time", json_quote(text)); }

void JsonOutput::cat(const std::string &text) { message("cat", json_quote(text)); }

void JsonOutput::join(const std::string &text) { message("join", json_quote(text)); }

void JsonOutput::system_output(const std::string &text) { message("syscall", json_quote(text)); }

void JsonOutput::lost_events(uint64_t count) {
  out_ << "{\"type\": \"lost_events\", \"count\": " << count << ", \"data\": {\"events\": " << count
       << "}}\n";
}

void JsonOutput::helper_error(const HelperError &error) {
  out_ << "{\"type\": \"helper_error\", \"msg\": " << json_quote(error.message)
       << ", \"helper\": " << json_quote(error.helper) << ", \"retcode\": " << error.retcode
       << ", \"filename\": " << json_quote(error.event->filename)
       << ", \"line\": " << error.event->line << ", \"col\": " << error.event->column << "}\n";
}

// JSON consumers need no separator before the maps.
void JsonOutput::end() {}

} // namespace sonde::output
