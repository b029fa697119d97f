#include "transport/ssm/ssm_call_group.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "aws/aws_error.h"
#include "transport/ssm/instance_id.h"
#include "transport/ssm/ssm_command.h"
#include "transport/ssm/ssm_failure.h"
#include "transport/ssm/ssm_pages.h"
#include "transport/ssm/ssm_poll_timing.h"
#include "transport/ssm/ssm_transport.h"
#include "util/rfc3339.h"

namespace drover::transport {
namespace {

constexpr std::size_t kInstancesPerCommand = 50;  // SendCommand's InstanceIds maximum
constexpr int kMaxFailedPolls = 5;                // then the command is lost track of
// From this many commands due at once, one ListCommands says which of them to list.
constexpr std::size_t kSharedPollFrom = 3;
// A collect returns about this many results at most (each holds its agent's parsed report):
// 10,000 hosts ending in one poll are handed over a few hundred at a time, not all at once.
constexpr std::size_t kMaxCollectedAtOnce = 500;
// ListCommands pages beyond one per 50 due commands (other tools' commands of the account).
constexpr std::size_t kSharedPollSparePages = 2;
// How many rounds a command's new successes may wait to be listed ("shared" in the header).
constexpr int kHeldRounds = 2;
// drover-agent's exit code when it refuses its arguments, before doing anything (agent_cli.h).
constexpr int kAgentExitUsage = 2;

// Where "--bots" is in `args` (its value follows), if anywhere.
std::optional<std::size_t> bots_option(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--bots") {
      return i;
    }
  }
  return std::nullopt;
}

// Calls of one shape: the same arguments but for --bots' value, and the same timeout. A host
// whose agent may not read --instance-bots is a shape of its own (`alone`: its name).
struct Shape {
  std::vector<std::string> args;  // --bots' value blanked
  std::chrono::seconds timeout{};
  std::string alone;
  auto operator<=>(const Shape&) const = default;  // NOLINT(modernize-use-nullptr): a false hit
};

Shape shape_of(const core::AgentCall& call, const core::Host& host, bool alone) {
  Shape shape{call.args, call.timeout, alone ? host.name : std::string()};
  if (const auto at = bots_option(shape.args)) {
    shape.args[*at + 1].clear();
  }
  return shape;
}

}  // namespace

SsmCallGroup::SsmCallGroup(SsmTransport& transport) : transport_(transport) {}

void SsmCallGroup::start(const std::vector<core::Host>& hosts,
                         const std::vector<core::AgentCall>& calls) {
  if (hosts.size() != calls.size()) {
    throw std::invalid_argument("SsmCallGroup::start: one call per host");
  }
  // The calls of each shape, in the order they came.
  std::vector<std::vector<std::size_t>> by_shape;
  std::map<Shape, std::size_t> shape_index;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    if (calls[i].timeout.count() <= 0) {
      throw std::invalid_argument(
          fmt::format("agent call for {} has a non-positive timeout", hosts[i].name));
    }
    ++in_flight_;
    if (auto failed = transport_.cannot_reach(hosts[i])) {
      finished_.push_back({hosts[i].name, std::move(*failed)});
      continue;
    }
    const bool alone = transport_.other_agent_builds_.contains(hosts[i].name);
    const auto [found, added] =
        shape_index.emplace(shape_of(calls[i], hosts[i], alone), by_shape.size());
    if (added) {
      by_shape.emplace_back();
    }
    by_shape[found->second].push_back(i);
  }
  for (const auto& same : by_shape) {
    for (std::size_t begin = 0; begin < same.size(); begin += kInstancesPerCommand) {
      const auto end = std::min(same.size(), begin + kInstancesPerCommand);
      std::vector<Member> members;
      std::string map;
      for (std::size_t k = begin; k < end; ++k) {
        const auto i = same[k];
        members.push_back({hosts[i].name, instance_id_of(hosts[i])});
        if (const auto at = bots_option(calls[i].args)) {
          map +=
              (map.empty() ? "" : ";") + members.back().instance_id + "=" + calls[i].args[*at + 1];
        }
      }
      auto args = calls[same[begin]].args;
      const auto at = bots_option(args);
      if (members.size() > 1 && at) {
        args[*at] = "--instance-bots";
        args[*at + 1] = map;
      }
      send(std::move(members), args, calls[same[begin]].timeout);
    }
  }
}

void SsmCallGroup::send(std::vector<Member> members, const std::vector<std::string>& args,
                        std::chrono::seconds timeout) {
  std::vector<std::string> ids;
  ids.reserve(members.size());
  for (const auto& member : members) {
    ids.push_back(member.instance_id);
  }
  const std::string verb = args.empty() ? "" : args.front();
  const auto comment = transport_.command_comment(
      members.size() == 1 ? fmt::format("{} {}", verb, members.front().host)
                          : fmt::format("{} {} hosts", verb, members.size()));
  auto sent = transport_.send_once(
      send_command_input(ids, {agent_command_line(transport_.options_.agent_path, args)}, timeout,
                         comment),
      ids.front(), comment);
  if (sent.command_id.empty()) {
    for (auto& member : members) {
      finish(member, failed_result(sent.status, fmt::format("{} ({}): {}", member.host,
                                                            member.instance_id, sent.problem)));
    }
    return;
  }
  const auto now = transport_.clock_.now();
  Command command;
  command.requested = sent.requested;
  // Its first look when this deploy's commands have been ending (ssm_poll_timing.h), never
  // sooner: a command sent just before another's poll is not looked at before it could end.
  command.next_poll =
      now + first_poll_delay(run_times_.expected(), transport_.options_.poll_interval);
  command.command_id = std::move(sent.command_id);
  command.timeout = timeout;
  command.members = std::move(members);
  if (command.members.size() > 1 &&
      std::find(args.begin(), args.end(), "--instance-bots") != args.end()) {
    command.batched_args = args;
  }
  command.give_up = now + Duration(timeout) + transport_.options_.cancel_grace;
  commands_.push_back(std::move(command));
}

std::vector<core::FinishedCall> SsmCallGroup::collect(Duration wait) {
  auto take_finished = [this] {
    in_flight_ -= finished_.size();
    return std::exchange(finished_, {});
  };
  if (!finished_.empty() || commands_.empty()) {
    return take_finished();
  }
  auto& clock = transport_.clock_;
  auto first_due = commands_.front().next_poll;
  for (const auto& command : commands_) {
    first_due = std::min(first_due, command.next_poll);
  }
  auto now = clock.now();
  if (now < first_due) {
    clock.sleep_for(std::min(wait, first_due - now));
    now = clock.now();
    if (now < first_due) {
      return {};
    }
  }
  // Every command whose poll is due, and those polled before that are due within half an
  // interval: commands sent one after the other (200 SendCommands take seconds) join one round
  // and keep one cadence from then on, so that one shared ListCommands a round covers them all
  // instead of each being listed on its own at its own time. A first poll is never brought
  // forward (ssm_poll_timing.h: not before the command could end).
  const auto joins_round = now + transport_.options_.poll_interval / 2;
  std::vector<Command*> due;
  for (auto& command : commands_) {
    if (command.next_poll <= now || (command.polled && command.next_poll <= joins_round)) {
      due.push_back(&command);
    }
  }
  // A round a collect left unfinished (kMaxCollectedAtOnce) goes on with what its ListCommands
  // said: 10,000 hosts ending in one poll are handed over in 20 collects, not 20 ListCommands.
  const bool new_round =
      std::any_of(due.begin(), due.end(), [](const Command* command) { return !command->carried; });
  if (new_round) {
    std::optional<std::map<std::string, ListedCommand>> listed;
    if (due.size() >= kSharedPollFrom) {
      listed = completed_counts(due);
    }
    for (auto* command : due) {
      command->listed.reset();
      if (listed) {
        if (const auto row = listed->find(command->command_id); row != listed->end()) {
          command->listed = row->second;
        }
      }
    }
  }
  const bool interrupted = transport_.interrupted_.load();
  for (auto* command : due) {
    command->carried = finished_.size() >= kMaxCollectedAtOnce;
    if (command->carried) {
      continue;  // the rest stay due: the next collect polls them at once
    }
    command->next_poll = now + transport_.options_.poll_interval;
    command->polled = true;
    // The interrupt needs to know what has started; a cancelled command is followed to its end.
    // So does a cancel at the timeout, which must not name instances that ended meanwhile.
    const bool must_list = (interrupted && !command->interrupt_seen) || command->cancel_sent ||
                           now >= command->give_up;
    if (must_list || worth_listing(*command)) {
      if (!list_invocations(*command)) {
        continue;  // nothing known for sure this time: no cancel decided on stale states
      }
      command->held_rounds = 0;
      if (command->listed) {
        command->errors_when_listed = command->listed->errors;
      }
    }
    check_deadlines(*command, now);
  }
  std::erase_if(commands_, [](const Command& command) {
    return std::all_of(command.members.begin(), command.members.end(),
                       [](const Member& member) { return member.done; });
  });
  return take_finished();
}

bool SsmCallGroup::worth_listing(Command& command) {
  if (!command.listed) {
    return true;  // ListCommands did not say: listed every round
  }
  const auto done = std::count_if(command.members.begin(), command.members.end(),
                                  [](const Member& member) { return member.done; });
  const int completed = command.listed->completed;
  if (completed <= done) {
    return false;  // nothing ended since it was last listed
  }
  if (completed >= static_cast<int>(command.members.size()) ||
      command.listed->errors > command.errors_when_listed || command.held_rounds >= kHeldRounds) {
    return true;
  }
  ++command.held_rounds;
  return false;
}

InvocationContext SsmCallGroup::context_of(const Member& member, const Command& command) const {
  const auto why = member.withdrawn      ? CancelReason::operator_interrupt
                   : command.cancel_sent ? CancelReason::call_timeout
                                         : CancelReason::none;
  return {member.host, member.instance_id, command.command_id, command.timeout, why};
}

void SsmCallGroup::finish(Member& member, core::AgentResult result, bool withdrawn) {
  member.done = true;
  finished_.push_back({member.host, std::move(result), withdrawn});
}

std::optional<std::map<std::string, ListedCommand>> SsmCallGroup::completed_counts(
    const std::vector<Command*>& due) {
  double oldest = 0;
  for (const auto* command : due) {
    if (command->requested <= 0) {
      return std::nullopt;  // a command found after an unanswered send: no time to filter by
    }
    oldest = oldest == 0 ? command->requested : std::min(oldest, command->requested);
  }
  // A second early, in SSM's own clock (RequestedDateTime): never one of them left out.
  const auto since = std::chrono::floor<std::chrono::seconds>(
      std::chrono::duration<double>(oldest) - std::chrono::seconds(1));
  auto stamp = format_rfc3339_utc_millis(WallTime(since));
  stamp = stamp.substr(0, stamp.find('.')) + "Z";  // whole seconds: 2026-12-01T13:09:22Z
  std::map<std::string, ListedCommand> counts;
  nlohmann::json input = {{"Filters", {{{"key", "InvokedAfter"}, {"value", stamp}}}},
                          {"MaxResults", 50}};
  try {
    // Newest first; other tools' commands of the account may be listed too. Commands not seen
    // within the pages are listed on their own.
    // A page is some 5 KB a command (each with its parameters): no page once all are seen.
    std::set<std::string_view> unseen;
    for (const auto* command : due) {
      unseen.insert(command->command_id);
    }
    const std::size_t pages = due.size() / 50 + kSharedPollSparePages;
    for (std::size_t page = 0; page < pages; ++page) {
      auto listed = read_commands_page(transport_.ssm_body_("ListCommands", input));
      for (auto& row : listed.commands) {
        unseen.erase(row.command_id);
        auto command_id = row.command_id;
        counts[std::move(command_id)] = std::move(row);
      }
      if (listed.next_token.empty() || unseen.empty()) {
        break;
      }
      input["NextToken"] = std::move(listed.next_token);
    }
  } catch (const aws::AwsError&) {
    return std::nullopt;  // each command is listed on its own this time
  }
  return counts;
}

bool SsmCallGroup::list_invocations(Command& command) {
  std::map<std::string, Member*> by_instance;
  for (auto& member : command.members) {
    by_instance.emplace(member.instance_id, &member);
  }
  auto& ssm = transport_.ssm_;
  std::vector<const Member*> refused;  // asked again alone once the pages are read
  try {
    nlohmann::json input = {
        {"CommandId", command.command_id}, {"Details", true}, {"MaxResults", 50}};
    for (;;) {
      auto listed = read_invocations_page(transport_.ssm_body_("ListCommandInvocations", input));
      for (auto& row : listed.rows) {
        const auto found = by_instance.find(row.instance_id);
        if (found == by_instance.end() || found->second->done) {
          continue;
        }
        auto& member = *found->second;
        auto& seen = row.seen;
        // Started: it ran (a start time), or it runs now (neither waiting nor ended).
        member.started = member.started || seen.invocation.started ||
                         !(seen.invocation.status.empty() || not_started(seen.invocation) ||
                           is_terminal(seen.invocation));
        if (!is_terminal(seen.invocation)) {
          continue;
        }
        if (!seen.complete) {
          seen.invocation =
              parse_invocation(ssm("GetCommandInvocation", {{"CommandId", command.command_id},
                                                            {"InstanceId", member.instance_id}}));
        }
        if (seen.invocation.started && row.requested > 0 && row.finished > 0) {
          run_times_.observe(row.finished - row.requested);
        }
        if (!transport_.interrupted_.load() && refused_batched_status(command, seen.invocation)) {
          member.done = true;  // still in flight: its own command follows
          refused.push_back(&member);
          continue;
        }
        const bool withdrawn = member.withdrawn && !member.started && !seen.invocation.started &&
                               seen.invocation.status == "Cancelled";
        finish(member, agent_result_for(seen.invocation, context_of(member, command)), withdrawn);
      }
      if (listed.next_token.empty()) {
        break;
      }
      input["NextToken"] = std::move(listed.next_token);
    }
    for (const auto* member : refused) {
      send_alone(command, *member);
    }
    command.failed_polls = 0;
    return true;
  } catch (const aws::AwsError& e) {
    for (const auto* member : refused) {
      send_alone(command, *member);  // known already, whatever the next page would have said
    }
    if (++command.failed_polls >= kMaxFailedPolls) {
      for (auto& member : command.members) {
        if (!member.done) {
          finish(member,
                 failed_result(core::TransportStatus::agent_failed,
                               fmt::format("{} ({}): lost track of SSM command {} ({}); the agent "
                                           "may still be running; check it with `aws ssm "
                                           "get-command-invocation`",
                                           member.host, member.instance_id, command.command_id,
                                           aws_error_text(e))));
        }
      }
    }
    return false;
  }
}

bool SsmCallGroup::refused_batched_status(const Command& command, const SsmInvocation& invocation) {
  return !command.batched_args.empty() && command.batched_args.front() == "status" &&
         invocation.status == "Failed" && invocation.response_code == kAgentExitUsage;
}

void SsmCallGroup::send_alone(const Command& command, const Member& member) {
  auto args = command.batched_args;
  const auto at = std::find(args.begin(), args.end(), "--instance-bots");
  // Its bots are its entry of the map ("i-0abc=539,540;i-0def=541"), kept there rather than
  // per member: a 10,000-instance deploy holds every member at once.
  const std::string_view map = *std::next(at);
  const std::string key = member.instance_id + "=";
  std::string bots;
  for (std::size_t begin = 0; begin < map.size();) {
    const auto end = std::min(map.find(';', begin), map.size());
    if (const auto entry = map.substr(begin, end - begin); entry.starts_with(key)) {
      bots = entry.substr(key.size());
      break;
    }
    begin = end + 1;
  }
  *std::next(at) = std::move(bots);
  *at = "--bots";
  // The rest of this transport's calls to the host go alone from the start.
  transport_.other_agent_builds_.insert(member.host);
  send({{member.host, member.instance_id}}, args, command.timeout);
}

void SsmCallGroup::check_deadlines(Command& command, TimePoint now) {
  // Ctrl-C withdraws what has not started, on those instances only; what runs is left to finish.
  if (transport_.interrupted_.load() && !command.interrupt_seen) {
    command.interrupt_seen = true;
    std::vector<std::string> waiting;
    for (auto& member : command.members) {
      if (!member.done && !member.started) {
        member.withdrawn = true;
        waiting.push_back(member.instance_id);
      }
    }
    transport_.cancel_instances(command.command_id, waiting);
  }
  if (!command.cancel_sent && now >= command.give_up) {
    std::vector<std::string> left;
    for (const auto& member : command.members) {
      if (!member.done) {
        left.push_back(member.instance_id);
      }
    }
    transport_.cancel_instances(command.command_id, left);
    command.cancel_sent = true;
    command.cancelled_at = now;
  } else if (command.cancel_sent &&
             now >= command.cancelled_at + transport_.options_.cancel_grace) {
    // SSM never confirmed the cancel: report what drover knows rather than wait forever.
    for (auto& member : command.members) {
      if (!member.done) {
        SsmInvocation cancelled;
        cancelled.status = "Cancelled";
        cancelled.started = member.started;
        finish(member, agent_result_for(cancelled, context_of(member, command)));
      }
    }
  }
}

void SsmTransport::cancel_instances(const std::string& command_id,
                                    const std::vector<std::string>& instance_ids) {
  if (instance_ids.empty()) {
    return;  // nothing pending: a CancelCommand without InstanceIds would cancel it everywhere
  }
  try {
    ssm_("CancelCommand", {{"CommandId", command_id}, {"InstanceIds", instance_ids}});
  } catch (const aws::AwsError&) {
    // Best effort, as for one host: the next poll shows how each invocation ended.
  }
}

void SsmTransport::expect_other_agent_builds(const std::vector<core::HostName>& hosts) {
  other_agent_builds_.insert(hosts.begin(), hosts.end());
}

std::unique_ptr<core::AgentCallGroup> SsmTransport::call_group() {
  return std::make_unique<SsmCallGroup>(*this);
}

}  // namespace drover::transport
