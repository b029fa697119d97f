#include "cli/state/durable_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace drover::cli {

namespace {

[[noreturn]] void fail(int error, std::string_view what, const std::filesystem::path& path) {
  throw StorageError(path, error, fmt::format("{}: {}", what, std::strerror(error)));
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

UniqueFd open_file(const std::filesystem::path& path, int flags, int mode, std::string_view what) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) fail(errno, what, path);
  return UniqueFd(fd);
}

void write_and_sync(int fd, std::string_view data, const std::filesystem::path& path) {
  // A regular file takes the whole buffer in one write() unless the disk fills up; the loop
  // only finishes such a short write. A crash between the two parts leaves a torn last line,
  // which readers ignore.
  while (!data.empty()) {
    const auto written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      fail(errno, "cannot write", path);
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  if (::fsync(fd) != 0) fail(errno, "cannot sync", path);
}

void sync_directory(const std::filesystem::path& dir) {
  const auto fd = open_file(dir, O_RDONLY | O_DIRECTORY, 0, "cannot open directory");
  // Some file systems refuse fsync on a directory (EINVAL); the data itself is synced anyway.
  if (::fsync(fd.get()) != 0 && errno != EINVAL) fail(errno, "cannot sync directory", dir);
}

void append_whole(int fd, std::string_view data, const std::filesystem::path& path) {
  struct stat before {};
  if (::fstat(fd, &before) != 0) fail(errno, "cannot write", path);
  try {
    write_and_sync(fd, data, path);
  } catch (const StorageError&) {
    // Cutting back needs no free space; if even that fails, readers still ignore a torn last
    // line, and the error below says the record may be missing.
    if (::ftruncate(fd, before.st_size) == 0) ::fsync(fd);
    throw;
  }
}

void replace_file_whole(const std::filesystem::path& path, std::string_view data, int mode) {
  auto temporary = path;
  temporary += ".tmp";
  int fd;
  do {
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  // Named after the file asked for: the temporary name is drover's business.
  if (fd < 0) fail(errno, "cannot create", path);
  UniqueFd file(fd);
  try {
    try {
      write_and_sync(file.get(), data, temporary);
    } catch (const StorageError& e) {
      fail(e.error(), "cannot write", path);
    }
    file = UniqueFd();
    if (::rename(temporary.c_str(), path.c_str()) != 0) fail(errno, "cannot replace", path);
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  sync_directory(dir);
}

std::optional<std::string> read_text_file(const std::filesystem::path& path,
                                          std::size_t max_bytes) {
  try {
    return read_file_at_most(path, max_bytes, FileKind::regular);
  } catch (const FileReadError& e) {
    throw StorageError(e);
  }
}

}  // namespace drover::cli
