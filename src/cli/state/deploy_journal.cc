#include "cli/state/deploy_journal.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>

#include "core/deploy_id.h"
#include "core/input_error.h"
#include "core/journal_replay.h"
#include "core/printable_text.h"

namespace drover::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kOriginVersion = 1;
// A journal holds about a kilobyte per host and run; 64 MiB is far past any real fleet's,
// while a journal replaced by something endless (a link to /dev/zero) stops there.
constexpr std::size_t kMaxJournalBytes = std::size_t{64} << 20;
constexpr std::size_t kMaxOriginBytes = std::size_t{64} << 10;

std::string journal_label(const StateDir& dir, std::string_view deploy_id) {
  return fmt::format("{}/deploys/{}.jsonl", dir.fleet(), deploy_id);
}

const char* const kFindIds = "`drover history` lists this fleet's deploys with their ids";

[[noreturn]] void unknown_id(const StateDir& dir, std::string_view deploy_id) {
  throw core::InputError(
      "deploy id", fmt::format("no deploy {} in fleet \"{}\"", deploy_id, dir.fleet()), kFindIds);
}

// What `drover history` shows (core::short_deploy_id) and longer, as git takes a commit: at
// least 8 characters of a deploy id, lower-case hex and dashes.
bool is_deploy_id_prefix(std::string_view text) {
  return text.size() >= 8 && text.size() < 36 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-';
         });
}

// The full id `text` names: itself, or the one journal whose id starts with it.
std::string resolve_id(const StateDir& dir, std::string_view text) {
  if (core::is_deploy_id(text)) return std::string(text);
  if (!is_deploy_id_prefix(text)) {
    throw core::InputError("deploy id",
                           fmt::format("\"{}\" is not a deploy id (expected a UUID such as "
                                       "6ca32b16-367e-4372-8a33-6dd9442ed2c3, or its first 8 "
                                       "or more characters)",
                                       core::printable(text, core::kQuotedBytes)),
                           kFindIds);
  }
  std::vector<std::string> matches;
  std::error_code ec;
  for (fs::directory_iterator it(dir.deploys_dir(), ec), end; !ec && it != end; it.increment(ec)) {
    const auto id = it->path().stem().string();
    if (it->path().extension() == ".jsonl" && core::is_deploy_id(id) && id.starts_with(text)) {
      matches.push_back(id);
    }
  }
  if (matches.empty()) unknown_id(dir, text);
  if (matches.size() > 1) {
    std::sort(matches.begin(), matches.end());
    throw core::InputError(
        "deploy id",
        fmt::format("{} is the start of {} deploys ({}, …)", text, matches.size(), matches[0]),
        "give more of the id; `drover history` lists this fleet's deploys");
  }
  return matches.front();
}

// Replays with the file named in the error, so `drover show` says which file is damaged.
core::JournalReplay replay_file(const StateDir& dir, std::string_view deploy_id,
                                std::string_view text) {
  try {
    return core::replay_journal(text);
  } catch (const core::JournalError& e) {
    throw core::JournalError(fmt::format("{}: {}", journal_label(dir, deploy_id), e.what()));
  }
}

std::string origin_text(std::string_view deploy_id, const DeployOrigin& origin) {
  const json j = {{"v", kOriginVersion},
                  {"deploy_id", deploy_id},
                  {"operator", origin.operator_name},
                  {"command", origin.command}};
  // Replace rather than throw on invalid UTF-8: a command line may carry any bytes.
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

// The origin is informational: a missing or damaged one costs the operator column, never
// the deploy's record, so it only warns.
DeployOrigin read_origin(const StateDir& dir, std::string_view deploy_id,
                         std::vector<std::string>& warnings) {
  const auto path = dir.origin_file(deploy_id);
  const auto label = fmt::format("{}/deploys/{}.origin.json", dir.fleet(), deploy_id);
  std::optional<std::string> text;
  try {
    text = read_text_file(path, kMaxOriginBytes);
  } catch (const StorageError& e) {
    warnings.push_back(fmt::format("{}; operator unknown", e.what()));
    return {};
  }
  if (!text) {
    warnings.push_back(fmt::format("{} is missing; operator unknown", label));
    return {};
  }
  const auto j = json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("v") || !j["v"].is_number_integer() ||
      j["v"].get<long long>() != kOriginVersion || !j.contains("operator") ||
      !j["operator"].is_string() || !j.contains("command") || !j["command"].is_string()) {
    warnings.push_back(fmt::format("{} cannot be read; operator unknown", label));
    return {};
  }
  return {j["operator"].get<std::string>(), j["command"].get<std::string>()};
}

StoredDeploy read_stored(const StateDir& dir, std::string_view deploy_id, std::string_view text) {
  StoredDeploy stored;
  stored.deploy_id = std::string(deploy_id);
  stored.replay = replay_file(dir, deploy_id, text);
  if (stored.replay.torn_tail) {
    stored.warnings.push_back(fmt::format(
        "{}: the last line was cut short (drover stopped while writing it); it was ignored",
        journal_label(dir, deploy_id)));
  }
  if (stored.replay.plan.deploy_id != deploy_id) {
    stored.warnings.push_back(fmt::format("{}: its plan names deploy {}",
                                          journal_label(dir, deploy_id),
                                          stored.replay.plan.deploy_id));
  }
  stored.origin = read_origin(dir, deploy_id, stored.warnings);
  return stored;
}

// One more than the highest sequence number of any of the fleet's journals. A journal that
// cannot be read is left out, as history leaves it out.
std::int64_t next_sequence(const StateDir& dir) {
  std::int64_t highest = 0;
  for (const auto& deploy : list_deploys(dir).deploys) {
    highest = std::max(highest, deploy.replay.last_sequence);
  }
  return highest + 1;
}

}  // namespace

DeployJournal DeployJournal::create(const StateDir& dir, const core::DeployPlan& plan,
                                    const DeployOrigin& origin) {
  if (!core::is_deploy_id(plan.deploy_id)) {
    throw std::invalid_argument(
        fmt::format("deploy journal: \"{}\" is not a deploy id", plan.deploy_id));
  }
  auto sequence = next_sequence(dir);
  auto path = dir.journal_file(plan.deploy_id);
  const auto origin_path = dir.origin_file(plan.deploy_id);
  // O_EXCL: a deploy id is drawn at random, so an existing journal means a bug, and its
  // record must not be overwritten.
  auto fd =
      open_file(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND, 0600, "cannot create deploy journal");
  try {
    write_and_sync(fd.get(), core::to_journal_line(core::JournalPlan{plan, sequence}), path);
    const auto origin_fd =
        open_file(origin_path, O_WRONLY | O_CREAT | O_TRUNC, 0600, "cannot create deploy origin");
    write_and_sync(origin_fd.get(), origin_text(plan.deploy_id, origin), origin_path);
    sync_directory(dir.deploys_dir());
  } catch (const StorageError&) {
    // Nothing has been deployed yet: a journal without its plan (0 bytes on a full disk)
    // would only be a damaged entry in `drover history`.
    ::unlink(path.c_str());
    ::unlink(origin_path.c_str());
    throw;
  }
  return DeployJournal(std::move(path), std::move(fd), sequence + 1);
}

DeployJournal DeployJournal::reopen(const StateDir& dir, std::string_view deploy_id) {
  const auto id = resolve_id(dir, deploy_id);
  auto path = dir.journal_file(id);
  const auto text = read_text_file(path, kMaxJournalBytes);
  if (!text) unknown_id(dir, id);
  // Refuse to append to a journal that does not read back: the records after the damage
  // would be unreachable.
  const auto replay = replay_file(dir, id, *text);
  const auto sequence = next_sequence(dir);

  auto fd = open_file(path, O_RDWR | O_APPEND, 0, "cannot open deploy journal");
  if (replay.torn_tail) {
    // Appending after a torn line would glue the next record to it and make a damaged line
    // in the middle of the journal, which readers refuse; the torn line was ignored anyway.
    const auto keep = text->rfind('\n');
    const off_t size = keep == std::string::npos ? 0 : static_cast<off_t>(keep + 1);
    if (::ftruncate(fd.get(), size) != 0 || ::fsync(fd.get()) != 0) {
      const int error = errno;
      throw StorageError(path, error,
                         fmt::format("cannot cut its torn last line: {}", std::strerror(error)));
    }
  } else if (!text->empty() && text->back() != '\n') {
    // A complete record whose '\n' never reached the disk: readers accept it, so finish it.
    write_and_sync(fd.get(), "\n", path);
  }
  return DeployJournal(std::move(path), std::move(fd), sequence);
}

void DeployJournal::append_hosts(const std::vector<core::HostRecord>& records) {
  std::string lines;
  auto sequence = next_sequence_;
  for (const auto& record : records) {
    lines += core::to_journal_line(core::JournalHost{record, sequence++});
  }
  if (lines.empty()) {
    return;
  }
  append_whole(fd_.get(), lines, path_);
  next_sequence_ = sequence;
}

void DeployJournal::append(const core::JournalRecord& record) {
  if (const auto* host = std::get_if<core::JournalHost>(&record)) {
    append_whole(fd_.get(), core::to_journal_line(core::JournalHost{host->record, next_sequence_}),
                 path_);
    ++next_sequence_;
    return;
  }
  append_whole(fd_.get(), core::to_journal_line(record), path_);
}

DeployListing list_deploys(const StateDir& dir) {
  DeployListing listing;
  std::error_code ec;
  fs::directory_iterator it(dir.deploys_dir(), ec);
  if (ec) {
    throw StorageError(dir.deploys_dir(), ec.value(), "cannot be listed: " + ec.message());
  }
  for (const auto& entry : it) {
    const auto name = entry.path().filename().string();
    if (entry.path().extension() != ".jsonl") continue;
    const auto id = entry.path().stem().string();
    if (!core::is_deploy_id(id)) {
      listing.warnings.push_back(
          fmt::format("{}/deploys/{}: not a deploy journal name; left out", dir.fleet(), name));
      continue;
    }
    try {
      const auto text = read_text_file(entry.path(), kMaxJournalBytes);
      if (!text) continue;  // removed while we listed
      listing.deploys.push_back(read_stored(dir, id, *text));
    } catch (const core::JournalError& e) {
      listing.warnings.push_back(fmt::format("{}; left out", e.what()));
      listing.unreadable.push_back(e.what());
    } catch (const StorageError& e) {
      listing.warnings.push_back(fmt::format("{}; left out", e.what()));
      listing.unreadable.push_back(e.what());
    }
  }
  // RFC 3339 UTC times of one format sort as text; within one second, the fleet's sequence.
  std::sort(listing.deploys.begin(), listing.deploys.end(),
            [](const StoredDeploy& a, const StoredDeploy& b) {
              if (a.replay.plan.created_at != b.replay.plan.created_at) {
                return a.replay.plan.created_at > b.replay.plan.created_at;
              }
              if (a.replay.last_sequence != b.replay.last_sequence) {
                return a.replay.last_sequence > b.replay.last_sequence;
              }
              return a.deploy_id > b.deploy_id;
            });
  return listing;
}

StoredDeploy load_deploy(const StateDir& dir, std::string_view deploy_id) {
  const auto id = resolve_id(dir, deploy_id);
  const auto text = read_text_file(dir.journal_file(id), kMaxJournalBytes);
  if (!text) unknown_id(dir, id);
  return read_stored(dir, id, *text);
}

}  // namespace drover::cli
