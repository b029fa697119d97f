#include "core/rollout_result.h"

#include "core/name_table.h"

namespace drover::core {
namespace {

constexpr NameTable<RolloutStatus, 4> kRolloutStatusNames{{
    {RolloutStatus::success, "success"},
    {RolloutStatus::failed, "failed"},
    {RolloutStatus::halted, "halted"},
    {RolloutStatus::interrupted, "interrupted"},
}};
static_assert(covers_every_value(kRolloutStatusNames));

}  // namespace

std::string_view to_string(RolloutStatus status) {
  return name_of(kRolloutStatusNames, status);
}

std::optional<RolloutStatus> parse_rollout_status(std::string_view text) {
  return value_named(kRolloutStatusNames, text);
}

std::string rollout_status_names() {
  return names_listed(kRolloutStatusNames, " or ");
}

}  // namespace drover::core
