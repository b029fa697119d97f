#pragma once
// SsmTransport's AgentCallGroup (core/agent_call_group.h): many agent calls in flight, followed
// from one thread with a few SSM calls, instead of a thread and a GetCommandInvocation loop per
// host. The rollout's swaps and the fleet checks (drift preflight, verification) go through it.
//
//   shape     calls that agree on their arguments and timeout but for the value after --bots
//             (each host's own bots) become one command line with
//             `--instance-bots i-…=539,540;…`; each instance's agent takes its own bots through
//             $AWS_SSM_INSTANCE_ID. A call alone in its shape keeps its --bots; calls of other
//             shapes go as commands of their own.
//   send      a host SSM cannot reach gets its result at once, with no command (cannot_reach);
//             the rest go out 50 instances to a SendCommand (the API's maximum), each at most
//             once in effect (SsmTransport::send_once).
//   poll      first when this deploy's commands have been ending (ssm_poll_timing.h: a poll
//             interval after the send until a run time is known), then every poll interval, one
//             ListCommandInvocations with Details per command in flight (50 a page): a
//             finished invocation's Output carries stdout whole unless it was cut at 2,500
//             characters, and only then is GetCommandInvocation asked.
//   shared    when several commands are due at once, one paged ListCommands (filtered to
//             those requested since the oldest of them) says how many invocations each has
//             completed, and only a command with new completions is listed: a 10,000-instance
//             deploy polls 200 commands with a few calls. Its pages stop once every due command
//             is seen, and a round handed over in several collects (500 results each) is asked
//             for once. A command whose invocations end a few at a time is listed when the last
//             ends, when one fails (ErrorCount rose: the error halt must learn at once), or
//             after its new successes waited kHeldRounds rounds: each list of 50 rows with
//             their output costs the same for one new ending as for fifty, and at fleet scale,
//             listing every command each round its count moved made drover's CPU double.
//   time      past a command's timeout plus the cancel grace, what is still pending in it is
//             cancelled (nothing is sent when all of it ended: a CancelCommand without
//             InstanceIds cancels everywhere); a cancel SSM never confirms is reported as
//             Cancelled after the grace.
//   interrupt the transport's interrupt flag (Ctrl-C) cancels, in each command, the instances
//             whose invocation has not started, and those only; what runs is left to finish.
//   refused   an instance whose agent refused a batched `status` (exit 2: an agent older than
//             --instance-bots, which refuses before it does anything) is asked again alone with
//             --bots, which every build reads: `drover verify`, `drift` and `baseline` run no
//             version preflight to tell such hosts apart first. `status` only reads, so asking
//             twice is harmless; a refused `swap` is reported as it is (the deploy's preflight
//             keeps old agents out of batched swaps).
#include <list>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/agent_call_group.h"
#include "transport/ssm/ssm_outcome.h"
#include "transport/ssm/ssm_pages.h"
#include "transport/ssm/ssm_poll_timing.h"

namespace drover::transport {

class SsmTransport;

class SsmCallGroup final : public core::AgentCallGroup {
 public:
  /// `transport` must outlive the group.
  explicit SsmCallGroup(SsmTransport& transport);

  void start(const std::vector<core::Host>& hosts,
             const std::vector<core::AgentCall>& calls) override;
  std::vector<core::FinishedCall> collect(Duration wait) override;
  std::size_t in_flight() const override { return in_flight_; }

 private:
  // One host of a command.
  struct Member {
    core::HostName host;
    std::string instance_id;
    bool started = false;    // the invocation left Pending/Delayed
    bool withdrawn = false;  // cancelled by the operator's interrupt before it started
    bool done = false;
  };
  // One SendCommand and its hosts.
  struct Command {
    std::string command_id;
    std::chrono::seconds timeout{};
    std::vector<Member> members;
    std::vector<std::string> batched_args;  // the agent's arguments, when --instance-bots
    TimePoint give_up{};                    // sent + timeout + cancel grace
    TimePoint next_poll{};  // the first poll (ssm_poll_timing.h), then one interval after each
    double requested = 0;   // SSM's RequestedDateTime (epoch seconds); 0: unknown
    int failed_polls = 0;
    bool polled = false;  // past its first poll: it may join a round due a little later
    bool interrupt_seen = false;
    bool cancel_sent = false;
    // What this poll round's ListCommands said of it, if it said.
    std::optional<ListedCommand> listed;
    int errors_when_listed = 0;  // ListCommands' error count when its invocations were listed
    int held_rounds = 0;         // rounds its new successes waited to be listed ("shared")
    bool carried = false;        // left due by a collect that returned enough: its round goes on
    TimePoint cancelled_at{};
  };

  /// Sends `args` (already in their batched form) to `members` as one command.
  void send(std::vector<Member> members, const std::vector<std::string>& args,
            std::chrono::seconds timeout);
  /// Whether `invocation` is an agent refusing its part of a batched `status` ("refused" above).
  static bool refused_batched_status(const Command& command, const SsmInvocation& invocation);
  /// Asks `member` of `command` again on its own, with --bots.
  void send_alone(const Command& command, const Member& member);
  /// Reads the command's invocations (paged) and finishes the members that ended; false when
  /// SSM could not be asked.
  bool list_invocations(Command& command);
  /// The interrupt's cancel of what has not started, and the timeout's cancel.
  void check_deadlines(Command& command, TimePoint now);
  /// One paged ListCommands for every command requested since the oldest of `due`: how many
  /// invocations each has completed and failed, by command id; nullopt when SSM could not say.
  std::optional<std::map<std::string, ListedCommand>> completed_counts(
      const std::vector<Command*>& due);
  /// Whether this round lists `command`'s invocations, from what ListCommands said of it.
  static bool worth_listing(Command& command);
  void finish(Member& member, core::AgentResult result, bool withdrawn = false);
  InvocationContext context_of(const Member& member, const Command& command) const;

  SsmTransport& transport_;
  std::list<Command> commands_;  // in flight; a list keeps each Command where it is
  std::vector<core::FinishedCall> finished_;
  std::size_t in_flight_ = 0;
  RunTimeEstimate run_times_;  // how long the commands that ended took: the first polls' phase
};

}  // namespace drover::transport
