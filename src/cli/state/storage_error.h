#pragma once
// A file of drover's own state (the state directory, a deploy journal or its origin, the
// fleet's lock file) could not be read or written. Not an internal error and not the
// operator's input: the disk is full, a permission changed, a file was damaged. The CLI edge
// prints `drover: error: <file>: <problem> (<fix>)` and exits core::ExitCode::storage_failed.
#include <filesystem>
#include <stdexcept>
#include <string>

#include "util/bounded_read.h"

namespace drover::cli {

class StorageError : public std::runtime_error {
 public:
  /// `error`: the errno (0 when drover itself refused the file); `problem`: what went wrong,
  /// without the path ("cannot write: No space left on device"); `fix`: what to do, or ""
  /// for the advice that fits `error`.
  StorageError(std::filesystem::path file, int error, std::string problem, std::string fix = "");
  /// A refused read of a state file.
  explicit StorageError(const FileReadError& e);

  const std::filesystem::path& file() const { return file_; }
  int error() const { return error_; }
  const std::string& problem() const { return problem_; }
  const std::string& fix() const { return fix_; }

  /// The same failure with other advice (e.g. what the failure means for a running deploy).
  StorageError with_fix(std::string fix) const;

 private:
  std::filesystem::path file_;
  int error_;
  std::string problem_;
  std::string fix_;
};

/// The advice for a failed read or write with this errno: free space, check permissions, …
std::string storage_fix(int error);

}  // namespace drover::cli
