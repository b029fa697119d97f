#include "cli/state/storage_error.h"

#include <fmt/format.h>

#include <cerrno>
#include <utility>

#include "core/printable_text.h"

namespace drover::cli {

std::string storage_fix(int error) {
  switch (error) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      return "free space on that disk (or raise the quota), then run the command again";
    case EACCES:
    case EPERM:
    case EROFS:
      return "make the state directory writable by the user who runs drover (or point "
             "DROVER_STATE_DIR at one that is)";
    case ENOTDIR:
    case EEXIST:
      return "a file is in the way: move it, or point DROVER_STATE_DIR at another directory";
    case EIO:
      return "the disk reports I/O errors: check it before anything else";
    case 0:
      return "move the file aside if it is not drover's; drover writes none like it";
    default:
      return "check the file and the disk it is on";
  }
}

StorageError::StorageError(std::filesystem::path file, int error, std::string problem,
                           std::string fix)
    : std::runtime_error(
          fmt::format("{}: {}", core::printable(file.string()), core::printable(problem))),
      file_(std::move(file)),
      error_(error),
      problem_(std::move(problem)),
      fix_(fix.empty() ? storage_fix(error) : std::move(fix)) {}

StorageError::StorageError(const FileReadError& e)
    : StorageError(e.file(), e.error(), e.problem()) {}

StorageError StorageError::with_fix(std::string fix) const {
  return StorageError(file_, error_, problem_, std::move(fix));
}

}  // namespace drover::cli
