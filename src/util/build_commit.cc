// build_commit() alone: drover-agent must not link the commit (build_info.h says why).
#include "drover_build_info.h"
#include "util/build_info.h"

namespace drover {

std::string_view build_commit() {
  return DROVER_BUILD_COMMIT;
}

}  // namespace drover
