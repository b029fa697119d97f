#pragma once
// A deploy as read back from the state directory: its journal replayed (core), who ran it
// and how, and anything odd noticed while reading. What `drover history`, `drover show` and
// `--resume` work from; view/history_text.h renders it without touching a file.
#include <string>
#include <vector>

#include "core/journal_replay.h"

namespace drover::cli {

/// Who started a deploy and with which command. core's plan record does not carry it, so
/// the journal keeps it next to the journal (deploys/<id>.origin.json). Nothing secret:
/// drover takes no credentials on its command line.
struct DeployOrigin {
  std::string operator_name;  // "alice@ops-1"; "" when unknown (origin file missing)
  std::string command;        // "drover deploy all routine -y"

  bool operator==(const DeployOrigin&) const = default;
};

struct StoredDeploy {
  std::string deploy_id;
  DeployOrigin origin;
  core::JournalReplay replay;
  /// Problems that did not stop the read, for stderr: a torn last line, a missing origin.
  std::vector<std::string> warnings;
};

}  // namespace drover::cli
