#pragma once
// A fake core::Transport for the CLI's unit tests: a scripted fleet of drover-agents that
// answers swap, status and version with the reports the real agent prints, and records every
// call it was asked to make (which host, which argv: ninja's commands_ran_), so tests assert
// on what drover asked the hosts as well as on what it printed and returned.
//
// Every bot starts on `initial_image`. A swap that succeeds moves the host's bots to the image
// it was given (--bot-image for a bot, else --image; a bot already on it is `unchanged`) and
// reports what each ran before (`from`); a status reports each bot's image against its
// --bot-image or --expect-image. Each host's script says how its agent behaves: unreachable, rolls
// back, logs in or not, which agent build answers `version`, and a hook that runs inside its swap
// (an operator's Ctrl-C in the middle of a rollout). Thread-safe: the rollout and the fleet checks
// call it from several workers at once.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/agent_report.h"
#include "core/transport.h"

namespace drover::testing {

/// One agent call as the fake received it.
struct RanCommand {
  core::HostName host;
  std::vector<std::string> args;  // the agent's arguments, its command first: "swap", "--bots", …

  bool operator==(const RanCommand&) const = default;
};

/// How the agent on one host answers. The default is a healthy host running the agent build
/// this drover was made with.
struct ScriptedHost {
  /// Anything but ok: every call to the host fails with this status and nothing runs there.
  core::TransportStatus reach = core::TransportStatus::ok;
  /// Its swaps roll every bot back: they stay on their old image and the host fails.
  bool swap_rolls_back = false;
  /// Its swaps run but drover hears nothing usable back (this status instead of the report).
  core::TransportStatus swap_answer = core::TransportStatus::ok;
  /// What its status calls say about the login of its bots.
  core::LoginState login = core::LoginState::logged_in;
  /// When above 0: its bots report logged_in from this many status calls on, whatever
  /// `login` says (a straggler that makes it during the wait).
  std::size_t logs_in_at_status_call = 0;
  /// Its status calls answer for all but this many of the bots asked for (the last ones).
  std::size_t status_leaves_out = 0;
  /// The sha256 its `version` reports; empty: the build this drover was made with.
  std::string agent_sha256;
  /// Runs at the start of each of its swaps.
  std::function<void()> during_swap;
};

class RecordingTransport final : public core::Transport {
 public:
  explicit RecordingTransport(std::string initial_image);

  /// The script of `host` (created with the defaults). Set scripts up before drover runs.
  ScriptedHost& script(const core::HostName& host);

  core::AgentResult run_agent(const core::Host& host, const core::AgentCall& call) override;
  /// Records an `install` call and answers like `version` with the binary's sha256.
  core::AgentResult install_agent(const core::Host& host, const core::AgentBinary& binary) override;

  /// Records the hosts drover said run another agent build (see core::Transport).
  void expect_other_agent_builds(const std::vector<core::HostName>& hosts) override;
  /// Every host drover said so about, in the order it said it.
  std::vector<core::HostName> other_agent_builds() const;

  /// Every call so far, in the order they arrived.
  std::vector<RanCommand> commands_ran() const;
  /// The hosts asked to run agent command `command` ("swap", "status", "version"), in order.
  std::vector<core::HostName> hosts_that_ran(const std::string& command) const;
  /// The image bot `bot` runs now.
  std::string image_of(core::BotId bot) const;

  /// A Transport forwarding to this one, for CliWorld::make_transport, which hands out a new
  /// transport to each phase of a command.
  std::unique_ptr<core::Transport> handle();

  /// Called first on every call, outside the fake's lock (tests sample the thread count).
  std::function<void(const core::Host&, const core::AgentCall&)> on_call;

 private:
  core::AgentResult swap(const core::Host& host, const ScriptedHost& script,
                         const std::vector<std::string>& args);
  core::AgentResult status(const core::Host& host, const ScriptedHost& script,
                           const std::vector<std::string>& args);

  const std::string initial_image_;
  mutable std::mutex mutex_;
  std::map<core::HostName, ScriptedHost> scripts_;
  std::map<core::HostName, std::size_t> status_calls_;
  std::map<core::BotId, std::string> images_;  // bots that have been swapped
  std::vector<RanCommand> ran_;
  std::vector<core::HostName> other_agent_builds_;
};

}  // namespace drover::testing
