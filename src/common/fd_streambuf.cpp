#include "common/fd_streambuf.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace sonde {

FdStreamBuf::~FdStreamBuf() { close(); }

bool FdStreamBuf::write_all(const char *data, size_t size) {
  while (size > 0 && error_ == 0) {
    ssize_t written = ::write(fd_, data, size);
    if (written < 0) {
      if (errno != EINTR || (give_up_ && give_up_()))
        error_ = errno;
      continue;
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
  return error_ == 0;
}

bool FdStreamBuf::flush_buffer() {
  size_t pending = static_cast<size_t>(pptr() - pbase());
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  return write_all(buffer_.data(), pending);
}

FdStreamBuf::int_type FdStreamBuf::overflow(int_type c) {
  if (!flush_buffer())
    return traits_type::eof();
  if (traits_type::eq_int_type(c, traits_type::eof()))
    return traits_type::not_eof(c);
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  return c;
}

int FdStreamBuf::sync() { return flush_buffer() ? 0 : -1; }

std::streamsize FdStreamBuf::xsputn(const char *data, std::streamsize size) {
  if (error_ != 0)
    return 0;
  if (size <= epptr() - pptr()) {
    traits_type::copy(pptr(), data, static_cast<size_t>(size));
    pbump(static_cast<int>(size));
    return size;
  }
  if (!flush_buffer() || !write_all(data, static_cast<size_t>(size)))
    return 0;
  return size;
}

bool FdStreamBuf::close() {
  bool ok = flush_buffer();
  if (owns_fd_ && fd_ >= 0) {
    if (::close(fd_) != 0 && error_ == 0 && errno != EINTR)
      error_ = errno;
    fd_ = -1;
  }
  return ok && error_ == 0;
}

std::string write_error_message(const std::string &where, int error) {
  if (error == EINTR)
    return "gave up writing the output to " + where +
           ": a second signal came while the reader took nothing";
  return "cannot write the output to " + where + ": " + std::strerror(error);
}

} // namespace sonde
