#include "core/rollout_result.h"

namespace drover::core {

std::string_view to_string(RolloutStatus status) {
  switch (status) {
    case RolloutStatus::success:
      return "success";
    case RolloutStatus::failed:
      return "failed";
    case RolloutStatus::halted:
      return "halted";
    case RolloutStatus::interrupted:
      return "interrupted";
  }
  return "failed";
}

RolloutStatus parse_rollout_status(std::string_view text) {
  if (text == "success") {
    return RolloutStatus::success;
  }
  if (text == "halted") {
    return RolloutStatus::halted;
  }
  if (text == "interrupted") {
    return RolloutStatus::interrupted;
  }
  return RolloutStatus::failed;
}

}  // namespace drover::core
