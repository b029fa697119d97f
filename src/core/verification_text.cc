#include "core/verification_text.h"

#include <fmt/format.h>

#include <vector>

namespace drover::core {

namespace {

// Widest label of the block ("on deployed version", "down (no container)").
constexpr int kLabelWidth = 19;

std::string row(std::string_view label, const std::string& value) {
  return fmt::format("  {:<{}} : {}\n", label, kLabelWidth, value);
}

std::string listed(const std::vector<BotId>& bots) {
  if (bots.empty()) {
    return "0";
  }
  return fmt::format("{} -> {}", bots.size(), bot_list(bots));
}

}  // namespace

std::string render_verification_report(const VerificationReport& report) {
  std::string out = fmt::format("── verification report ({} bots) ──\n", report.total);
  out += row("on deployed version", fmt::format("{}/{}", report.on_version.size(), report.total));
  out += row("logged into Steam", fmt::format("{}/{}", report.logged_in.size(), report.total));
  out += row("stale (old image)", listed(report.stale));
  std::vector<BotId> no_container;
  std::string not_running;
  std::size_t not_running_count = 0;
  for (BotId id : report.down) {
    const auto reason = report.down_reasons.find(id);
    if (reason == report.down_reasons.end() || reason->second == "no container") {
      no_container.push_back(id);
    } else {
      not_running += fmt::format(" bot{} ({})", id, reason->second);
      ++not_running_count;
    }
  }
  out += row("down (no container)", listed(no_container));
  if (not_running_count > 0) {
    out += row("down (not running)", fmt::format("{} ->{}", not_running_count, not_running));
  }
  if (!report.unanswered.empty()) {
    out += row("no answer (host)", listed(report.unanswered));
  }
  out += row("not logged in yet", listed(report.not_logged_in));
  return out;
}

}  // namespace drover::core
