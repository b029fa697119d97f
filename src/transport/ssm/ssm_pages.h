#pragma once
// The SSM answers drover reads by the thousand at fleet scale: the three pages
// (ListCommandInvocations, ListCommands, DescribeInstanceInformation) and SendCommand's answer,
// read with simdjson's On-Demand parser, which keeps only the members drover uses and skips the
// rest without unescaping it. Each page is 50 rows of a few dozen members, and SendCommand
// echoes its whole command line (50 instances' bots); building a DOM of each, then dropping
// nearly all of it, was most of drover's CPU in a 10,000-instance deploy (README, issue 11).
//
// Every reader throws aws::AwsError "InvalidResponse" for a body that is not a whole JSON
// object. Members missing from a row take their defaults; members of another type are ignored.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "transport/ssm/ssm_instances.h"
#include "transport/ssm/ssm_outcome.h"

namespace drover::transport {

/// One row of a ListCommandInvocations page asked with Details.
struct ListedRow {
  std::string instance_id;
  ListedInvocation seen;  // the status, and the first plugin's response code, start and Output
  double requested = 0;   // the row's RequestedDateTime (epoch seconds, SSM's clock); 0 if absent
  double finished = 0;    // the first plugin's ResponseFinishDateTime (the instance's agent
                          // dates it); 0 until it ends
};

struct InvocationsPage {
  std::vector<ListedRow> rows;
  std::string next_token;  // empty on the last page
};

/// Reads a ListCommandInvocations answer. A row's Output is split at SSM's stderr mark
/// ("\n----------ERROR-------\n"); its `complete` is false when that Output may have been cut
/// at the list's limit before stdout's end (then only GetCommandInvocation has all of it), and
/// for a row without a plugin that ended in Success or Failed.
InvocationsPage read_invocations_page(std::string_view body);

/// One row of a ListCommands page: how many of a command's invocations ended, and how many
/// of those ended badly (ErrorCount: Failed or ExecutionTimedOut, plus DeliveryTimedOutCount).
struct ListedCommand {
  std::string command_id;
  int completed = 0;
  int errors = 0;
  bool operator==(const ListedCommand&) const = default;
};

struct CommandsPage {
  std::vector<ListedCommand> commands;
  std::string next_token;
};

/// Reads a ListCommands answer: each command's id, how many of its invocations ended and how
/// many of those failed.
CommandsPage read_commands_page(std::string_view body);

struct InstancesPage {
  std::vector<SsmInstanceInfo> instances;  // rows without an InstanceId are left out
  std::string next_token;
};

/// Reads a DescribeInstanceInformation answer.
InstancesPage read_instances_page(std::string_view body);

struct SendCommandAnswer {
  std::string command_id;  // empty when the answer has none
  double requested = 0;    // Command.RequestedDateTime (epoch seconds, SSM's clock); 0 if absent
};

/// Reads a SendCommand answer: the command's id and when SSM says it was requested.
SendCommandAnswer read_send_command_answer(std::string_view body);

}  // namespace drover::transport
