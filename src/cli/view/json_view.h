#pragma once
// --json: one event per line on stdout, for automation. Every event carries "time", the
// moment it happened in RFC 3339 UTC with milliseconds ("2026-06-12T09:41:07.123Z").
#include <memory>

#include "cli/view/rollout_view.h"

namespace drover::cli {

std::unique_ptr<RolloutView> make_json_view(Terminal& terminal, Clock& clock);

}  // namespace drover::cli
