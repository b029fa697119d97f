#include "util/build_info.h"

// Generated into the build tree by cmake/build_info.cmake: DROVER_BUILD_VERSION and
// DROVER_BUILD_COMMIT.
#include "drover_build_info.h"

namespace drover {

std::string_view build_version() {
  return DROVER_BUILD_VERSION;
}

std::string_view build_commit() {
  return DROVER_BUILD_COMMIT;
}

std::string version_line(std::string_view program) {
  return std::string(program) + " " + std::string(build_version()) + " (build " +
         std::string(build_commit()) + ")";
}

}  // namespace drover
