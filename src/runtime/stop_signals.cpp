#include "runtime/stop_signals.h"

#include <array>
#include <csignal>

namespace sonde::runtime {

namespace {

constexpr std::array<int, 3> kStopSignals = {SIGINT, SIGTERM, SIGHUP};

volatile std::sig_atomic_t signals_received = 0;
std::array<struct sigaction, kStopSignals.size()> previous{};

void install(void (*handler)(int), int flags, bool save) {
  struct sigaction action {};
  action.sa_handler = handler;
  action.sa_flags = flags;
  sigemptyset(&action.sa_mask);
  for (size_t i = 0; i < kStopSignals.size(); i++)
    sigaction(kStopSignals[i], &action, save ? &previous[i] : nullptr);
}

// After the first signal, the next one interrupts what is blocked (sigaction
// is async-signal-safe).
void on_stop_signal(int) {
  if (signals_received < 2)
    signals_received = signals_received + 1;
  install(on_stop_signal, 0, false);
}

} // namespace

StopSignals::StopSignals() {
  signals_received = 0;
  install(on_stop_signal, SA_RESTART, true);
}

StopSignals::~StopSignals() {
  for (size_t i = 0; i < kStopSignals.size(); i++)
    sigaction(kStopSignals[i], &previous[i], nullptr);
}

bool stop_requested() { return signals_received > 0; }

bool stop_insisted() { return signals_received > 1; }

} // namespace sonde::runtime
