#pragma once
// A real "disk full" for one test: RLIMIT_FSIZE makes every write past `bytes` into a file fail
// with EFBIG (a write that crosses it takes only the part below it, as a filling disk does),
// with SIGXFSZ ignored so the write reports the error instead of killing the process, as
// drover's main does. The limit and the signal's disposition are restored at the end.
#include <signal.h>
#include <sys/resource.h>

#include <cstddef>
#include <stdexcept>

namespace drover::testing {

class FileSizeLimit {
 public:
  explicit FileSizeLimit(std::size_t bytes) {
    if (::getrlimit(RLIMIT_FSIZE, &before_) != 0) throw std::runtime_error("getrlimit");
    old_handler_ = ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = before_;
    limit.rlim_cur = static_cast<rlim_t>(bytes);
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) throw std::runtime_error("setrlimit");
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &before_);
    ::signal(SIGXFSZ, old_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit before_{};
  sighandler_t old_handler_ = SIG_DFL;
};

}  // namespace drover::testing
