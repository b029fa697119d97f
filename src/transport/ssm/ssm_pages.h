#pragma once
// The three SSM pages drover reads by the thousand at fleet scale (ListCommandInvocations,
// ListCommands, DescribeInstanceInformation), read with a streaming parser that keeps only the
// members drover uses. Each page is 50 rows of a few dozen members (a command's row repeats its
// whole command line), and building a DOM of every page, then dropping nearly all of it, was
// most of drover's CPU and heap churn in a 10,000-instance deploy (README, issue 11).
//
// Every reader throws aws::AwsError "InvalidResponse" for a body that is not a JSON object.
// Members missing from a row take their defaults; members of an unexpected type are ignored.
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

struct CommandsPage {
  std::vector<std::pair<std::string, int>> completed;  // CommandId, CompletedCount
  std::string next_token;
};

/// Reads a ListCommands answer: each command's id and how many of its invocations ended.
CommandsPage read_commands_page(std::string_view body);

struct InstancesPage {
  std::vector<SsmInstanceInfo> instances;  // rows without an InstanceId are left out
  std::string next_token;
};

/// Reads a DescribeInstanceInformation answer.
InstancesPage read_instances_page(std::string_view body);

}  // namespace drover::transport
