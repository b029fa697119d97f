#include "cli/view/terminal_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cli/view/colour.h"
#include "core/live_bar.h"
#include "core/live_eta.h"
#include "core/plan_box.h"
#include "core/rollout_text.h"
#include "core/verification_text.h"

namespace drover::cli {
namespace {

using drover::Duration;

// The first line of `text` painted whole (its words stay together for whoever searches them).
std::string paint_first_line(const std::string& text, Colour colour, bool on) {
  const auto end = std::min(text.find('\n'), text.size());
  return paint(text.substr(0, end), colour, on) + text.substr(end);
}

class TerminalView final : public RolloutView {
 public:
  TerminalView(Terminal& terminal, Clock& clock, bool live, bool colour)
      : term_(terminal), clock_(clock), live_(live), colour_(colour) {}

  void plan(const core::DeployPlan& plan) override {
    window_ = plan.settings.concurrency.window(plan.selection.hosts.size());
    term_.print(core::render_plan_box(plan));
  }
  void started(const std::string& id) override {
    term_.print(core::render_deploy_id_line(id) + "\n");
  }
  void host_started(const std::string& host) override {
    if (!live_) {
      term_.print(fmt::format("{}: started\n", host));
      return;
    }
    forget(host);
    in_flight_.push_back({host, "running", clock_.now()});
    flying_at_[host] = std::prev(in_flight_.end());
  }
  void host_step(const std::string& host, const std::string& step) override {
    if (const auto at = flying_at_.find(host); at != flying_at_.end()) {
      at->second->step = step;
    }
  }
  void host_finished(const core::HostRecord& record, const core::RolloutProgress& p) override {
    finished_total_ += record.took;
    ++finished_;
    forget(record.host);
    auto line = core::render_host_line(record, p);
    if (live_) {
      line = core::fit_text(line, term_.width() > 1 ? term_.width() - 1 : 0);
    }
    line = paint(line, record.outcome.ok() ? Colour::ok : Colour::failed, colour_);
    term_.print(line + "\n");
    if (held_) {
      redraw_ = p;  // once, when the turn's output is released
    } else {
      tick(p);
    }
  }
  void host_withdrawn(const std::string& host, const std::string& why) override {
    forget(host);
    notice(fmt::format("{}: not started: {}", host, why));
  }
  void tick(const core::RolloutProgress& p) override {
    if (!live_) {
      return;
    }
    core::LiveBar bar{p, core::render_eta(eta(p)), {}};  // p.next_start_in: the storm's pace
    for (const auto& flying : in_flight_) {
      bar.in_flight.push_back({flying.host, flying.step});
    }
    term_.status_line(core::render_live_bar(bar, term_.width()));
  }
  void notice(const std::string& text) override {
    term_.print(paint(text, Colour::warning, colour_) + "\n");
  }
  void result(const core::RolloutResult& r) override {
    // The last bar stays above the result, as in the guide's example c.
    term_.end_status_line();
    auto text = core::render_result(r);
    const auto colour = r.status == core::RolloutStatus::success       ? Colour::ok
                        : r.status == core::RolloutStatus::interrupted ? Colour::warning
                                                                       : Colour::failed;
    text = paint_first_line(text, colour, colour_);
    term_.print(text);
  }
  void verification(const core::VerificationReport& report) override {
    term_.print(core::render_verification_report(report));
  }
  void straggler_countdown(std::size_t n, Duration remaining) override {
    if (live_) {
      term_.status_line(core::render_straggler_countdown(n, remaining));
    }
  }
  void straggler_recheck(std::size_t n) override {
    if (!live_) {
      term_.print(core::render_straggler_countdown(n, Duration(0)) + "\n");
    }
    term_.print(core::render_straggler_recheck(n) + "\n");
  }
  void straggler_result(const core::StragglerRetryResult& r) override {
    term_.print(core::render_straggler_result(r));
  }
  void hold_output() override {
    if (!held_) {
      held_ = true;
      term_.hold();
    }
  }
  void release_output() override {
    if (!held_) {
      return;
    }
    held_ = false;
    if (const auto progress = std::exchange(redraw_, std::nullopt)) {
      tick(*progress);
    }
    term_.release();
  }

 private:
  struct Flying {
    std::string host;
    std::string step;
    TimePoint since;
  };

  // `host` is no longer in flight. By its entry in flying_at_, not a search: 10,000 hosts
  // finishing one by one would each have scanned the ones still in flight.
  void forget(const std::string& host) {
    if (const auto at = flying_at_.find(host); at != flying_at_.end()) {
      in_flight_.erase(at->second);
      flying_at_.erase(at);
    }
  }

  std::optional<Duration> eta(const core::RolloutProgress& p) {
    core::LiveEtaInput input;
    input.finished_total = finished_total_;
    input.finished = finished_;
    const auto now = clock_.now();
    for (const auto& flying : in_flight_) {
      input.in_flight_ages.push_back(now - flying.since);
    }
    const auto started = p.finished + in_flight_.size();
    input.not_started = p.total > started ? p.total - started : 0;
    input.window = window_;
    return core::live_eta(input);
  }

  Terminal& term_;
  Clock& clock_;
  bool live_;
  bool colour_;
  std::size_t window_ = 1;
  std::list<Flying> in_flight_;  // in the order they started
  std::unordered_map<std::string, std::list<Flying>::iterator> flying_at_;  // by host
  Duration finished_total_{0};  // the hosts this view saw finish
  std::size_t finished_ = 0;
  bool held_ = false;
  std::optional<core::RolloutProgress> redraw_;  // the bar to draw when the hold ends
};

}  // namespace

std::unique_ptr<RolloutView> make_terminal_view(Terminal& terminal, Clock& clock, bool live,
                                                bool colour) {
  return std::make_unique<TerminalView>(terminal, clock, live, colour);
}

}  // namespace drover::cli
