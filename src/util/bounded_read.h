#pragma once
// Reading a whole file that drover does not control (drover.toml, a deploy journal, a lock)
// without trusting its size: at most a limit is read, so a huge file, or an endless one such
// as a journal linked to /dev/zero, ends in a clear error instead of exhausting memory.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace drover {

/// Which files a read accepts.
enum class FileKind {
  any,      // whatever open(2) opens: a pipe or /dev/stdin too (drover.toml may come from one)
  regular,  // only a regular file: drover's own state never lives in a device or a FIFO
};

/// Why a bounded read refused a file.
class FileReadError : public std::runtime_error {
 public:
  /// `error`: the errno, or 0 when the refusal is drover's own (too large, not a regular file).
  FileReadError(std::filesystem::path file, int error, std::string problem);

  const std::filesystem::path& file() const { return file_; }
  int error() const { return error_; }
  /// "is larger than 1 MiB", "cannot be read: Permission denied".
  const std::string& problem() const { return problem_; }

 private:
  std::filesystem::path file_;
  int error_;
  std::string problem_;
};

/// The whole of `path`, or nullopt when it does not exist. Throws FileReadError when it
/// cannot be opened or read, is not of `kind`, or holds more than `max_bytes`.
std::optional<std::string> read_file_at_most(const std::filesystem::path& path,
                                             std::size_t max_bytes, FileKind kind = FileKind::any);

/// "64 MiB", "64 KiB", "300 bytes": a limit as messages name it.
std::string byte_size_text(std::size_t bytes);

}  // namespace drover
