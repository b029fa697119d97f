// SsmTransport::run_batch: a fleet check as a few commands instead of one per host.
//
//   shape     the calls must agree on their arguments and timeout, but for the value after
//             --bots (each host's own bots); such calls become one command line with
//             `--instance-bots i-…=539,540;…`, and each instance's agent takes its own bots
//             through $AWS_SSM_INSTANCE_ID. Anything else is not batched (nullopt).
//   send      hosts that cannot be reached get their result at once (cannot_reach); the rest go
//             out 50 instances to a SendCommand (the API's maximum), at most once in effect
//             (send_once).
//   poll      every poll interval, one ListCommandInvocations with Details per command in
//             flight (50 a page): a finished invocation's Output carries stdout whole unless it
//             was cut at 2,500 characters, and only then is GetCommandInvocation asked.
//   time      past the call's timeout plus the cancel grace, what is still pending is
//             cancelled; a cancel SSM never confirms is reported as Cancelled after the grace.
//             An interrupt cancels only invocations that have not started.
#include <fmt/format.h>

#include <map>

#include "aws/aws_error.h"
#include "core/printable_text.h"
#include "transport/ssm/instance_id.h"
#include "transport/ssm/ssm_command.h"
#include "transport/ssm/ssm_failure.h"
#include "transport/ssm/ssm_transport.h"

namespace drover::transport {
namespace {

constexpr std::size_t kInstancesPerCommand = 50;  // SendCommand's InstanceIds maximum
constexpr int kMaxFailedPolls = 5;                // then the command is lost track of

// The arguments every call shares, with the place of --bots' value; nullopt when the calls
// differ in anything else.
struct SharedShape {
  std::vector<std::string> args;
  std::optional<std::size_t> bots_at;  // index of "--bots"
  std::chrono::seconds timeout{};
};

std::optional<SharedShape> shared_shape(const std::vector<core::AgentCall>& calls) {
  SharedShape shape;
  shape.args = calls.front().args;
  shape.timeout = calls.front().timeout;
  for (std::size_t i = 0; i + 1 < shape.args.size(); ++i) {
    if (shape.args[i] == "--bots") {
      shape.bots_at = i;
    }
  }
  for (const auto& call : calls) {
    if (call.timeout != shape.timeout || call.args.size() != shape.args.size()) {
      return {};
    }
    for (std::size_t i = 0; i < call.args.size(); ++i) {
      const bool bots_value = shape.bots_at && i == *shape.bots_at + 1;
      if (!bots_value && call.args[i] != shape.args[i]) {
        return {};
      }
    }
  }
  return shape;
}

// One host of a batch.
struct Member {
  std::size_t index;  // in the caller's hosts
  const core::Host* host;
  std::string instance_id;
  std::string bots;  // its --bots value
  bool done = false;
  bool started = false;
};

// One command of a batch and where its members are.
struct BatchCommand {
  std::vector<Member*> members;
  std::string command_id;
  int failed_polls = 0;
  bool interrupt_cancel_sent = false;
  bool cancel_sent = false;
  TimePoint cancelled_at{};
};

}  // namespace

std::optional<std::vector<core::AgentResult>> SsmTransport::run_batch(
    const std::vector<core::Host>& hosts,
    const std::function<core::AgentCall(const core::Host&)>& call_for) {
  if (hosts.empty()) {
    return std::vector<core::AgentResult>{};
  }
  std::vector<core::AgentCall> calls;
  calls.reserve(hosts.size());
  for (const auto& host : hosts) {
    calls.push_back(call_for(host));
  }
  const auto shape = shared_shape(calls);
  if (!shape || shape->timeout.count() <= 0) {
    return std::nullopt;
  }

  std::vector<core::AgentResult> results(hosts.size());
  std::vector<Member> members;
  members.reserve(hosts.size());
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    if (auto failed = cannot_reach(hosts[i])) {
      results[i] = std::move(*failed);
      continue;
    }
    members.push_back({i, &hosts[i], instance_id_of(hosts[i]),
                       shape->bots_at ? calls[i].args[*shape->bots_at + 1] : std::string(), false,
                       false});
  }

  std::vector<BatchCommand> commands;
  for (std::size_t begin = 0; begin < members.size(); begin += kInstancesPerCommand) {
    BatchCommand command;
    std::vector<std::string> ids;
    std::string map;
    for (std::size_t i = begin; i < std::min(members.size(), begin + kInstancesPerCommand); ++i) {
      command.members.push_back(&members[i]);
      ids.push_back(members[i].instance_id);
      map += (map.empty() ? "" : ";") + members[i].instance_id + "=" + members[i].bots;
    }
    auto args = shape->args;
    if (shape->bots_at) {
      args[*shape->bots_at] = "--instance-bots";
      args[*shape->bots_at + 1] = map;
    }
    const auto comment =
        command_comment(fmt::format("{} {} host(s)", args.empty() ? "" : args.front(), ids.size()));
    auto sent = send_once(send_command_input(ids, {agent_command_line(options_.agent_path, args)},
                                             shape->timeout, comment),
                          ids.front(), comment);
    if (sent.command_id.empty()) {
      for (auto* member : command.members) {
        results[member->index] = failed_result(
            sent.status,
            fmt::format("{} ({}): {}", member->host->name, member->instance_id, sent.problem));
        member->done = true;
      }
      continue;
    }
    command.command_id = sent.command_id;
    commands.push_back(std::move(command));
  }

  const auto give_up = clock_.now() + Duration(shape->timeout) + options_.cancel_grace;
  auto context_of = [&](const Member& member, const BatchCommand& command, CancelReason why) {
    return InvocationContext{member.host->name, member.instance_id, command.command_id,
                             shape->timeout, why};
  };
  auto pending = [](const BatchCommand& command) {
    for (const auto* member : command.members) {
      if (!member->done) {
        return true;
      }
    }
    return false;
  };
  auto any_pending = [&] {
    for (const auto& command : commands) {
      if (pending(command)) {
        return true;
      }
    }
    return false;
  };
  while (any_pending()) {
    clock_.sleep_for(options_.poll_interval);
    const auto now = clock_.now();
    for (auto& command : commands) {
      if (!pending(command)) {
        continue;
      }
      std::map<std::string, Member*> by_instance;
      for (auto* member : command.members) {
        by_instance.emplace(member->instance_id, member);
      }
      try {
        nlohmann::json input = {
            {"CommandId", command.command_id}, {"Details", true}, {"MaxResults", 50}};
        for (;;) {
          auto listed = ssm_("ListCommandInvocations", input);
          for (const auto& row : listed.value("CommandInvocations", nlohmann::json::array())) {
            const auto found = by_instance.find(row.value("InstanceId", ""));
            if (found == by_instance.end() || found->second->done) {
              continue;
            }
            auto* member = found->second;
            auto seen = parse_listed_invocation(row);
            member->started = member->started || seen.invocation.started ||
                              !(seen.invocation.status.empty() || not_started(seen.invocation));
            if (!is_terminal(seen.invocation)) {
              continue;
            }
            if (!seen.complete) {
              seen.invocation = parse_invocation(
                  ssm_("GetCommandInvocation",
                       {{"CommandId", command.command_id}, {"InstanceId", member->instance_id}}));
            }
            const auto why = command.cancel_sent ? CancelReason::call_timeout : CancelReason::none;
            results[member->index] =
                agent_result_for(seen.invocation, context_of(*member, command, why));
            member->done = true;
          }
          if (!listed.contains("NextToken")) {
            break;
          }
          input["NextToken"] = listed["NextToken"];
        }
        command.failed_polls = 0;
      } catch (const aws::AwsError& e) {
        if (++command.failed_polls >= kMaxFailedPolls) {
          for (auto* member : command.members) {
            if (member->done) {
              continue;
            }
            results[member->index] = failed_result(
                core::TransportStatus::agent_failed,
                fmt::format("{} ({}): lost track of SSM command {} ({}); the agent may still be "
                            "running; check it with `aws ssm get-command-invocation`",
                            member->host->name, member->instance_id, command.command_id,
                            aws_error_text(e)));
            member->done = true;
          }
        }
        continue;
      }
      // Ctrl-C withdraws what has not started; what runs is left to finish.
      if (interrupted_.load() && !command.interrupt_cancel_sent) {
        std::vector<std::string> waiting;
        for (auto* member : command.members) {
          if (!member->done && !member->started) {
            waiting.push_back(member->instance_id);
          }
        }
        if (!waiting.empty()) {
          cancel_instances(command.command_id, waiting);
        }
        command.interrupt_cancel_sent = true;
      }
      if (!command.cancel_sent && now >= give_up) {
        std::vector<std::string> left;
        for (auto* member : command.members) {
          if (!member->done) {
            left.push_back(member->instance_id);
          }
        }
        cancel_instances(command.command_id, left);
        command.cancel_sent = true;
        command.cancelled_at = now;
      } else if (command.cancel_sent && now >= command.cancelled_at + options_.cancel_grace) {
        // SSM never confirmed the cancel: report what drover knows rather than wait forever.
        for (auto* member : command.members) {
          if (member->done) {
            continue;
          }
          SsmInvocation cancelled;
          cancelled.status = "Cancelled";
          cancelled.started = member->started;
          results[member->index] =
              agent_result_for(cancelled, context_of(*member, command, CancelReason::call_timeout));
          member->done = true;
        }
      }
    }
  }
  return results;
}

void SsmTransport::cancel_instances(const std::string& command_id,
                                    const std::vector<std::string>& instance_ids) {
  try {
    ssm_("CancelCommand", {{"CommandId", command_id}, {"InstanceIds", instance_ids}});
  } catch (const aws::AwsError&) {
    // Best effort, as for one host: the next poll shows how each invocation ended.
  }
}

}  // namespace drover::transport
