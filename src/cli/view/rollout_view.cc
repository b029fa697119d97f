#include "cli/view/rollout_view.h"

#include "core/journal_record.h"
#include "core/plan_box.h"
#include "core/rollout_text.h"
#include "core/verification_text.h"

namespace drover::cli {
namespace {

using drover::Duration;

// The guide's interactive experience (examples b-e).
class TerminalView final : public RolloutView {
 public:
  explicit TerminalView(Terminal& terminal, bool live) : term_(terminal), live_(live) {}
  void plan(const core::DeployPlan& plan) override { term_.print(core::render_plan_box(plan)); }
  void started(const std::string& id) override {
    term_.print(core::render_deploy_id_line(id) + "\n");
  }
  void host_started(const std::string&) override {}
  void host_finished(const core::HostRecord& record, const core::RolloutProgress& p) override {
    if (!live_) {
      term_.print(core::render_host_line(record, p) + "\n");
      return;
    }
    if (!record.outcome.ok()) term_.print(core::render_host_line(record, p) + "\n");
    tick(p);
  }
  void tick(const core::RolloutProgress& p) override {
    if (live_) term_.status_line(core::render_progress_bar(p));
  }
  void notice(const std::string& text) override { term_.print(text + "\n"); }
  void result(const core::RolloutResult& r) override { term_.print(core::render_result(r)); }
  void verification(const core::VerificationReport& report) override {
    term_.print(core::render_verification_report(report));
  }
  void straggler_countdown(std::size_t n, Duration remaining) override {
    if (live_) term_.status_line(core::render_straggler_countdown(n, remaining));
  }
  void straggler_recheck(std::size_t n) override {
    if (!live_) term_.print(core::render_straggler_countdown(n, Duration(0)) + "\n");
    term_.print(core::render_straggler_recheck(n) + "\n");
  }
  void straggler_result(const core::StragglerRetryResult& r) override {
    term_.print(core::render_straggler_result(r));
  }

 private:
  Terminal& term_;
  bool live_;
};

// --json: one event per line on stdout, for automation.
class JsonView final : public RolloutView {
 public:
  explicit JsonView(Terminal& terminal) : term_(terminal) {}
  void plan(const core::DeployPlan& plan) override {
    emit({{"event", "plan"}, {"plan", core::plan_to_json(plan)}});
  }
  void started(const std::string& id) override { emit({{"event", "started"}, {"deploy_id", id}}); }
  void host_started(const std::string& host) override {
    emit({{"event", "host_started"}, {"host", host}});
  }
  void host_finished(const core::HostRecord& record, const core::RolloutProgress& p) override {
    emit({{"event", "host_finished"},
          {"record", core::host_record_to_json(record)},
          {"finished", p.finished},
          {"total", p.total},
          {"failed", p.failed}});
  }
  void tick(const core::RolloutProgress&) override {}
  void notice(const std::string& text) override { emit({{"event", "notice"}, {"text", text}}); }
  void result(const core::RolloutResult& r) override {
    emit({{"event", "result"}, {"result", core::result_to_json(r)}});
  }
  void verification(const core::VerificationReport& report) override {
    emit({{"event", "verification"}, {"report", core::verification_to_json(report)}});
  }
  void straggler_countdown(std::size_t, Duration) override {}
  void straggler_recheck(std::size_t n) override {
    emit({{"event", "straggler_recheck"}, {"stragglers", n}});
  }
  void straggler_result(const core::StragglerRetryResult& r) override {
    emit({{"event", "straggler_result"}, {"retry", core::retry_to_json(r)}});
  }

 private:
  void emit(const nlohmann::json& event) { term_.print(event.dump() + "\n"); }

  Terminal& term_;
};

}  // namespace

OutputMode output_mode(bool json, Terminal& terminal) {
  if (json) return OutputMode::json;
  return terminal.interactive() ? OutputMode::terminal : OutputMode::plain;
}

std::unique_ptr<RolloutView> make_view(OutputMode mode, Terminal& terminal) {
  switch (mode) {
    case OutputMode::terminal:
      return std::make_unique<TerminalView>(terminal, true);
    case OutputMode::plain:
      return std::make_unique<TerminalView>(terminal, false);
    case OutputMode::json:
      return std::make_unique<JsonView>(terminal);
  }
  return std::make_unique<TerminalView>(terminal, false);
}

}  // namespace drover::cli
