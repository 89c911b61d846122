#pragma once

// SIGINT, SIGTERM and SIGHUP stop tracing. The first one is caught with
// SA_RESTART, so that it never cuts a write short: output waiting for a slow
// reader is written out in full. A second one, while sonde is finishing,
// interrupts such a write, so that a reader that takes nothing cannot keep
// sonde from ever ending.

namespace sonde::runtime {

// Catches the stop signals for as long as it lives.
class StopSignals {
public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals &) = delete;
  StopSignals &operator=(const StopSignals &) = delete;
};

// A stop signal has come.
bool stop_requested();
// A second stop signal has come: give up a write it interrupted.
bool stop_insisted();

} // namespace sonde::runtime
