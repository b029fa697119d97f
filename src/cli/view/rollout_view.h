#pragma once
// How a deploy shows itself: the guide's live experience on a terminal, one plain line per
// host on a pipe, or one JSON event per line for automation (--json). The deploy command
// reports events; the view decides what they look like. Every call comes from one thread (the
// rollout driver's loop): a view needs no lock.
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/view/terminal.h"
#include "core/deploy_plan.h"
#include "core/rollout_result.h"
#include "core/straggler_retry.h"
#include "core/verification.h"
#include "util/clock.h"

namespace drover::cli {

enum class OutputMode { terminal, plain, json };

class RolloutView {
 public:
  virtual ~RolloutView() = default;
  virtual void plan(const core::DeployPlan& plan) = 0;
  virtual void started(const std::string& deploy_id) = 0;
  virtual void host_started(const std::string& host) = 0;
  /// A host in flight reached `step` ("pull", "stop", "start", "settle", "login", …; see
  /// core/agent_progress.h). Only transports that stream the agent's progress report steps.
  virtual void host_step(const std::string& host, const std::string& step) = 0;
  virtual void host_finished(const core::HostRecord& record, const core::RolloutProgress& p) = 0;
  /// A started host whose command the operator's interrupt withdrew before it reached the
  /// host: nothing ran there, and it is not started after all. `why` is one line.
  virtual void host_withdrawn(const std::string& host, const std::string& why) = 0;
  /// About once a second while hosts are in flight.
  virtual void tick(const core::RolloutProgress& progress) = 0;
  virtual void notice(const std::string& text) = 0;
  virtual void result(const core::RolloutResult& result) = 0;
  virtual void verification(const core::VerificationReport& report) = 0;
  virtual void straggler_countdown(std::size_t stragglers, drover::Duration remaining) = 0;
  virtual void straggler_recheck(std::size_t stragglers) = 0;
  virtual void straggler_result(const core::StragglerRetryResult& result) = 0;
  /// The rollout loop's turn begins, and ends before the loop waits: what the view prints in
  /// between may go out at the end in one write (Terminal::hold), and the live view redraws its
  /// status line once per turn rather than once per finished host.
  virtual void hold_output() = 0;
  virtual void release_output() = 0;
};

/// --json asks for JSON; otherwise the live terminal view when the terminal is interactive,
/// else plain lines.
OutputMode output_mode(bool json, Terminal& terminal);

/// Every view writes through `terminal` (the JSON view too, one event per print). `clock`
/// times the hosts in flight (the ETA) and stamps the JSON events; `colour`: the terminal and
/// plain views colour ok / failed / warning (cli/view/colour.h).
std::unique_ptr<RolloutView> make_view(OutputMode mode, Terminal& terminal, Clock& clock,
                                       bool colour = false);

}  // namespace drover::cli
