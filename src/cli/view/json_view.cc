#include "cli/view/json_view.h"

#include "core/journal_record.h"
#include "core/plan_box.h"
#include "core/verification_text.h"
#include "util/rfc3339.h"

namespace drover::cli {
namespace {

using drover::Duration;

class JsonView final : public RolloutView {
 public:
  JsonView(Terminal& terminal, Clock& clock) : term_(terminal), clock_(clock) {}
  void plan(const core::DeployPlan& plan) override {
    emit({{"event", "plan"}, {"plan", core::plan_to_json(plan)}});
  }
  void started(const std::string& id) override { emit({{"event", "started"}, {"deploy_id", id}}); }
  void host_started(const std::string& host) override {
    emit({{"event", "host_started"}, {"host", host}});
  }
  void host_step(const std::string& host, const std::string& step) override {
    emit({{"event", "host_step"}, {"host", host}, {"step", step}});
  }
  void host_finished(const core::HostRecord& record, const core::RolloutProgress& p) override {
    emit({{"event", "host_finished"},
          {"record", core::host_record_to_json(record)},
          {"finished", p.finished},
          {"total", p.total},
          {"failed", p.failed}});
  }
  void host_withdrawn(const std::string& host, const std::string& why) override {
    emit({{"event", "host_withdrawn"}, {"host", host}, {"why", why}});
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
  void hold_output() override { term_.hold(); }
  void release_output() override { term_.release(); }

 private:
  void emit(nlohmann::json event) {
    event["time"] = format_rfc3339_utc_millis(clock_.wall_now());
    term_.print(event.dump() + "\n");
  }

  Terminal& term_;
  Clock& clock_;
};

}  // namespace

std::unique_ptr<RolloutView> make_json_view(Terminal& terminal, Clock& clock) {
  return std::make_unique<JsonView>(terminal, clock);
}

}  // namespace drover::cli
