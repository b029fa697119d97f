#include "core/rollout_text.h"

#include <fmt/format.h>

namespace drover::core {

namespace {

long long whole_seconds(Duration d) {
  return d.count() / 1000;
}

std::string errors(std::size_t count) {
  return fmt::format("{} error{}", count, count == 1 ? "" : "s");
}

}  // namespace

std::string render_deploy_id_line(std::string_view deploy_id) {
  return fmt::format("command: {}", deploy_id);
}

std::string render_progress_cells(const RolloutProgress& progress, std::size_t cells) {
  std::size_t filled = cells;
  if (progress.total > 0 && progress.finished < progress.total) {
    filled = (cells * progress.finished * 2 + progress.total) / (2 * progress.total);
    // A full bar must mean "all done"; 177/178 rounds to 20 but shows 19.
    if (filled >= cells && cells > 0) {
      filled = cells - 1;
    }
  }
  return fmt::format("[{}{}]", std::string(filled, '#'), std::string(cells - filled, '.'));
}

std::string render_progress_counts(const RolloutProgress& progress) {
  return fmt::format("{}/{} hosts · {} · {}s", progress.finished, progress.total,
                     errors(progress.failed), whole_seconds(progress.elapsed));
}

std::string render_progress_bar(const RolloutProgress& progress) {
  return render_progress_cells(progress, kProgressCells) + " " + render_progress_counts(progress);
}

// Names the hosts a halt or an interrupt kept back, so the operator knows what to resume;
// a whole fleet's worth is cut after kMaxNamed names (`drover show` lists them all).
static std::string named_hosts(const std::vector<HostName>& hosts) {
  constexpr std::size_t kMaxNamed = 20;
  std::string names;
  for (std::size_t i = 0; i < hosts.size() && i < kMaxNamed; ++i) names += " " + hosts[i];
  if (hosts.size() > kMaxNamed) names += fmt::format(" … and {} more", hosts.size() - kMaxNamed);
  return names;
}

std::string render_result(const RolloutResult& result) {
  std::string out;
  const auto counts =
      fmt::format("({}/{}, {})", result.succeeded, result.total, errors(result.failed));
  const auto held_back = result.not_started.size();
  switch (result.status) {
    case RolloutStatus::success:
      out = fmt::format("--- result: Success {}\n", counts);
      break;
    case RolloutStatus::failed:
      out = fmt::format("--- result: Failed {} — every host was attempted\n", counts);
      break;
    case RolloutStatus::halted:
      out = fmt::format(
          "--- result: Halted {} — error halt: more than {} of {} hosts failed; {} host(s) not "
          "started\n",
          counts, result.tolerated_failures, result.total, held_back);
      break;
    case RolloutStatus::interrupted:
      out = fmt::format(
          "--- result: Interrupted {} — stopped by the operator; {} host(s) not "
          "started\n",
          counts, held_back);
      break;
  }
  for (const auto& failure : result.failures) {
    out += fmt::format("  failed {}: {}\n", failure.host, failure.outcome.reason);
  }
  if (!result.not_started.empty()) out += "  not started:" + named_hosts(result.not_started) + "\n";
  if (!result.not_waited_for.empty()) {
    out += "  not waited for:" + named_hosts(result.not_waited_for) +
           " (their agents finish the swap on their own; `drover verify` shows what runs)\n";
  }
  return out;
}

std::string render_host_line(const HostRecord& record, const RolloutProgress& progress) {
  const auto prefix = fmt::format("[{}/{}] {}", progress.finished, progress.total, record.host);
  if (record.outcome.ok()) {
    return fmt::format("{}: ok ({}s)", prefix, whole_seconds(record.took));
  }
  return fmt::format("{}: FAILED: {} ({}s)", prefix, record.outcome.reason,
                     whole_seconds(record.took));
}

}  // namespace drover::core
