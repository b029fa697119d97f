#pragma once
// `drover history --json` and `drover show ID --json`: the journal's facts as one JSON document
// each, for tools. docs/json.md documents every key; keys are only ever added, never renamed.
// Like the text views, pure: deploys read back (state/stored_deploy.h) in, JSON out. Strings
// from a journal are copied as they are (JSON escapes them); nothing secret is in a journal.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/state/stored_deploy.h"

namespace drover::cli {

/// {"fleet":…, "deploys":[summary, …] (newest first, at most `max_rows`), "not_shown":N,
///  "warnings":[…]}; each summary says who, when, what, how it ended ("outcome") and what
/// verification found.
nlohmann::json history_json(const std::string& fleet, const std::vector<StoredDeploy>& deploys,
                            std::size_t max_rows, const std::vector<std::string>& warnings);

/// Everything recorded about one deploy: its summary's keys (the same types), plus the whole
/// plan, every host record in journal order (with each bot's swap and what it ran before), the
/// latest record per planned host, the full result, the verification report and the straggler
/// retry.
nlohmann::json deploy_json(const StoredDeploy& deploy);

/// How a deploy read back ended: core::DeployOutcome's word, or "unfinished" without a result.
std::string outcome_of(const core::JournalReplay& replay);

}  // namespace drover::cli
