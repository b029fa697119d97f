#include "core/measured_estimate.h"

#include <fmt/format.h>

namespace drover::core {

std::string format_span(Duration d) {
  const long long seconds = (std::max<Duration::rep>(d.count(), 0) + 999) / 1000;
  if (seconds < 60) return fmt::format("{}s", seconds);
  if (seconds < 3600) return fmt::format("{}m{:02}s", seconds / 60, seconds % 60);
  const long long minutes = (seconds + 59) / 60;
  return fmt::format("{}h{:02}m", minutes / 60, minutes % 60);
}

std::string format_measured(const MeasuredEstimate& estimate) {
  return fmt::format("~{} (simulated from {} deploy{}; p90 ~{})", format_span(estimate.p50),
                     estimate.deploys, estimate.deploys == 1 ? "" : "s", format_span(estimate.p90));
}

}  // namespace drover::core
