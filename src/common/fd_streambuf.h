#pragma once

// A stream buffer over a file descriptor that never loses output silently:
// a write interrupted by a signal (EINTR) or cut short (a pipe's reader is
// slow) is retried, and the first error that does stop the output is kept
// (error(), an errno value) so that the caller can report it.

#include <array>
#include <functional>
#include <streambuf>
#include <string>

namespace sonde {

class FdStreamBuf : public std::streambuf {
public:
  // With `owns_fd`, the descriptor is closed by close() or the destructor.
  FdStreamBuf(int fd, bool owns_fd) : fd_(fd), owns_fd_(owns_fd) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  ~FdStreamBuf() override;
  FdStreamBuf(const FdStreamBuf &) = delete;
  FdStreamBuf &operator=(const FdStreamBuf &) = delete;

  // The errno of the first failed write (or close), 0 while none has failed.
  int error() const { return error_; }
  // A write interrupted by a signal is retried unless `give_up` says
  // otherwise; it then fails with EINTR.
  void give_up_interrupted_writes_when(std::function<bool()> give_up) {
    give_up_ = std::move(give_up);
  }
  // Writes out the buffer and closes an owned descriptor; false on an error.
  bool close();

protected:
  int_type overflow(int_type c) override;
  int sync() override;
  std::streamsize xsputn(const char *data, std::streamsize size) override;

private:
  bool write_all(const char *data, size_t size);
  bool flush_buffer();

  int fd_;
  bool owns_fd_;
  int error_ = 0;
  std::function<bool()> give_up_;
  std::array<char, 64 * 1024> buffer_;
};

// "cannot write the output to WHERE: REASON"
std::string write_error_message(const std::string &where, int error);

} // namespace sonde
