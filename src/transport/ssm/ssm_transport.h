#pragma once
// The ssm transport: drover-agent runs on each host as an SSM Run Command
// (AWS-RunShellScript) whose one command line is shell_command({agent_path, args...}).
//
//   preflight   DescribeInstanceInformation once for the fleet (SsmInstanceCache): a host whose
//               SSM agent is not Online is `unreachable` at once, and no command is sent.
//   send        SendCommand, at most once in effect: the client does not repeat one that got no
//               answer or a 5xx (AWS may have acted on it); the transport looks for it with
//               ListCommands by its run-unique comment, and sends again only when SSM holds no
//               such command (at most kMaxSends times).
//   run         then GetCommandInvocation every poll interval (the Clock's
//               sleep) until the invocation is terminal. InvocationDoesNotExist just after
//               SendCommand is normal (the invocation is created asynchronously): polled again.
//   cancel      CancelCommand when the call's timeout has passed (plus a grace for SSM's own
//               executionTimeout to act first), and when the operator interrupted drover while
//               the invocation was still Pending/Delayed. One that already runs is left to
//               finish: an agent killed half-way leaves bots mid-swap.
//   outcome     ssm_outcome.h maps the terminal invocation onto core::TransportStatus.
//
// AWS errors on the way (after the client's own retries) become results, never exceptions:
// SendCommand refused → unreachable (nothing ran); losing track of a sent command → agent_failed
// naming the command id. preflight() is the exception: it throws aws::AwsError, so a refused
// credential stops drover before any host is touched.
// Thread safety: run_agent and install_agent may be called from many threads at once.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/agent_call_group.h"
#include "core/transport.h"
#include "transport/ssm/ssm_api.h"
#include "transport/ssm/ssm_instances.h"
#include "transport/ssm/ssm_outcome.h"
#include "util/clock.h"

namespace drover::transport {

inline constexpr const char* kSsmDefaultAgentPath = "/usr/local/bin/drover-agent";

struct SsmTransportOptions {
  std::string agent_path = kSsmDefaultAgentPath;
  std::string agent_url;  // [aws] agent_url: where hosts download the agent from
  Duration poll_interval{std::chrono::seconds(2)};
  // How long after the call's timeout drover still waits for SSM to report the end itself
  // before it cancels the command.
  Duration cancel_grace{std::chrono::seconds(30)};
  std::string comment = "drover";
  // Makes each command's comment unique to this drover run ("drover prod host-1 #3f9a12bc-7"),
  // so that a SendCommand that got no answer can be looked for before it is sent again.
  std::string run_token;
};

class SsmTransport final : public core::Transport {
 public:
  /// `clock` and `interrupted` must outlive the transport. `ssm_body` makes the same calls
  /// answering with the unparsed body, for the answers read with ssm_pages.h (the pages and
  /// SendCommand's, which it must send at most once, as `ssm` does); tests that script JSON
  /// answers pass body_call_of(ssm).
  SsmTransport(AwsJsonCall ssm, Clock& clock, const std::atomic<bool>& interrupted,
               SsmTransportOptions options, AwsBodyCall ssm_body);

  /// Learns the SSM state of every host's instance in one paginated call. Throws
  /// aws::AwsError when SSM refuses (credentials, permissions, endpoint).
  void preflight(const std::vector<core::Host>& hosts);

  core::AgentResult run_agent(const core::Host& host, const core::AgentCall& call) override;
  core::AgentResult install_agent(const core::Host& host, const core::AgentBinary& binary) override;
  /// Many calls followed from one thread, sent as few commands as their shapes allow
  /// (ssm_call_group.h): the rollout's swaps and the fleet checks.
  std::unique_ptr<core::AgentCallGroup> call_group() override;
  /// Their calls go as commands of their own with --bots, never in an --instance-bots map.
  void expect_other_agent_builds(const std::vector<core::HostName>& hosts) override;

  const SsmTransportOptions& options() const { return options_; }

 private:
  friend class SsmCallGroup;  // sends, cancels and polls through the pieces below
  core::AgentResult run_script(const core::Host& host, const std::vector<std::string>& lines,
                               std::chrono::seconds timeout);
  core::AgentResult watch(const core::Host& host, InvocationContext context);
  /// Why no command can be sent to `host` (not an instance id, not managed, not Online).
  std::optional<core::AgentResult> cannot_reach(const core::Host& host);
  /// A sent command's id, or (empty id) why there is none.
  struct SentCommand {
    std::string command_id;
    core::TransportStatus status = core::TransportStatus::ok;
    std::string problem;
    // When SSM says it was requested (epoch seconds, its clock), for ListCommands' InvokedAfter;
    // 0 when the answer did not say.
    double requested = 0;
  };
  /// SendCommand `input` at most once in effect (see "send" above); `any_instance` is one of
  /// its instances, for ListCommands.
  SentCommand send_once(const nlohmann::json& input, const std::string& any_instance,
                        const std::string& comment);
  std::string command_comment(const std::string& label);
  /// The id of the command on `instance_id` whose comment is `comment`, if SSM holds one.
  std::optional<std::string> find_sent_command(const std::string& instance_id,
                                               const std::string& comment);

  static constexpr std::size_t kMaxCommentLength = 100;
  static constexpr int kMaxSends = 3;
  static constexpr int kListCommandsPages = 4;
  void cancel(const InvocationContext& context);
  /// Best effort; nothing is sent for no instances (SSM reads that as all of them).
  void cancel_instances(const std::string& command_id,
                        const std::vector<std::string>& instance_ids);

  AwsJsonCall ssm_;
  AwsBodyCall ssm_body_;
  Clock& clock_;
  const std::atomic<bool>& interrupted_;
  SsmTransportOptions options_;
  SsmInstanceCache instances_;
  std::atomic<unsigned> sent_commands_{0};
  std::set<core::HostName> other_agent_builds_;  // sent alone (expect_other_agent_builds)
};

}  // namespace drover::transport
