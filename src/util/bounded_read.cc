#include "util/bounded_read.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace drover {

FileReadError::FileReadError(std::filesystem::path file, int error, std::string problem)
    : std::runtime_error(fmt::format("{}: {}", file.string(), problem)),
      file_(std::move(file)),
      error_(error),
      problem_(std::move(problem)) {}

std::string byte_size_text(std::size_t bytes) {
  if (bytes >= (std::size_t{1} << 20) && bytes % (std::size_t{1} << 20) == 0) {
    return fmt::format("{} MiB", bytes >> 20);
  }
  if (bytes >= 1024 && bytes % 1024 == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

std::optional<std::string> read_file_at_most(const std::filesystem::path& path,
                                             std::size_t max_bytes, FileKind kind) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) return std::nullopt;
    throw FileReadError(path, error, fmt::format("cannot be opened: {}", std::strerror(error)));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};

  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int error = errno;
    throw FileReadError(path, error, fmt::format("cannot be read: {}", std::strerror(error)));
  }
  if (kind == FileKind::regular && !S_ISREG(info.st_mode)) {
    throw FileReadError(path, 0, "is not a regular file");
  }
  const auto too_large = [&] {
    return FileReadError(path, 0, fmt::format("is larger than {}", byte_size_text(max_bytes)));
  };
  if (S_ISREG(info.st_mode) && static_cast<std::uintmax_t>(info.st_size) > max_bytes) {
    throw too_large();
  }
  std::string text;
  char buffer[65536];
  for (;;) {
    const auto got = ::read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      throw FileReadError(path, error, fmt::format("cannot be read: {}", std::strerror(error)));
    }
    if (got == 0) break;
    // A file growing while it is read, or an endless device: stop at the limit either way.
    if (text.size() + static_cast<std::size_t>(got) > max_bytes) throw too_large();
    text.append(buffer, static_cast<std::size_t>(got));
  }
  return text;
}

}  // namespace drover
