#pragma once
// The few POSIX file steps the journal and the lock need to survive a crash of drover or of
// the machine: an owning file descriptor, a write that finishes or throws, fsync of a
// directory (so a newly created file's name is durable too), an append that lands whole or
// not at all, and reading a file whole up to a limit (the files may have been replaced by
// anything: a huge file, a link to /dev/zero).
// Every failure throws StorageError naming the path (storage_error.h).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "cli/state/storage_error.h"

namespace drover::cli {

/// Owns one open file descriptor; closes it on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

/// open(2) with O_CLOEXEC added; throws StorageError naming `path` and `what` on failure.
UniqueFd open_file(const std::filesystem::path& path, int flags, int mode, std::string_view what);

/// Writes all of `data` (one write() unless the kernel takes less), then fsync.
void write_and_sync(int fd, std::string_view data, const std::filesystem::path& path);

/// Appends `data` to the end of the file and syncs it, or, when a write or the sync fails
/// (a full disk takes part of a line, then refuses the rest), cuts the file back to its
/// length before the call and throws: a record lands whole or not at all.
void append_whole(int fd, std::string_view data, const std::filesystem::path& path);

/// fsync of a directory, making the creation or removal of a name in it durable.
void sync_directory(const std::filesystem::path& dir);

/// Makes `path` hold exactly `data`: written to a temporary file beside it (<path>.tmp),
/// synced, renamed over `path`, then the directory synced, so a crash leaves the old file or
/// the new one, never a part. The temporary file is removed when anything fails. Throws
/// StorageError naming `path`.
void replace_file_whole(const std::filesystem::path& path, std::string_view data, int mode);

/// The whole file; nullopt when it does not exist. Throws StorageError when it is not a
/// regular file or holds more than `max_bytes`.
std::optional<std::string> read_text_file(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace drover::cli
