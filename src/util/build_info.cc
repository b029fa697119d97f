#include "util/build_info.h"

// Generated into the build tree by cmake/build_info.cmake: DROVER_BUILD_VERSION (and the
// commit, which only build_commit.cc uses).
#include "drover_build_info.h"

namespace drover {

std::string_view build_version() {
  return DROVER_BUILD_VERSION;
}

std::string version_line(std::string_view program, std::string_view build) {
  return std::string(program) + " " + std::string(build_version()) + " (build " +
         std::string(build) + ")";
}

}  // namespace drover
