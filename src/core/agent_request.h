#pragma once
// The agent protocol, request side: what drover asks drover-agent to do, as one value per
// command, and the one definition of its command line. drover turns a request into argv
// (agent_argv); drover-agent parses argv back into the same request (AgentCommandLine). Both
// use the option names, defaults and ranges below, so the two binaries cannot disagree.
//
//   swap     --bots 539,540,541 --image REF --stop-timeout S --settle S --login-wait S
//            --login-probe SPEC --disk-floor-mb MB [--jitter S] [--template JSON]
//            [--bot-image 540=REF]...
//   status   --bots 539,540,541 --login-probe SPEC [--expect-image REF] [--bot-image 540=REF]...
//   recover  --bots 539,540,541 [--settle S]
//   baseline --disk-floor-mb MB [--fix] [--root DIR] [--registry-image REF]
//   version
//
// --bot-image gives one bot another image than --image (swap) or --expect-image (status): a
// rollback puts each bot back on the digest it ran before, and two bots of one host may have
// run different ones. One agent call per host still pulls every image before it stops a bot.
//
// Durations travel as seconds with up to millisecond precision ("10", "2.5"); the stop
// timeout as whole seconds (Docker's unit). The report each command prints is agent_report.h.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/bot_id.h"
#include "core/image_reference.h"
#include "util/clock.h"

namespace drover::core {

/// Swap the bots to `image`, rollback-safe (ARCHITECTURE.md, "The agent's swap").
struct SwapRequest {
  std::vector<BotId> bots;
  ImageReference image;
  std::chrono::seconds stop_timeout{35};  // graceful stop before the kill
  Duration settle{std::chrono::seconds(10)};
  Duration jitter{0};  // wait a random 0..jitter first (drover sends 0: it spreads starts itself)
  Duration login_wait{0};  // poll the login probe this long after the swap; 0 = one reading
  std::string login_probe = "health";
  std::int64_t disk_floor_mb = 1024;
  std::optional<nlohmann::json> container_template;  // Docker create body for new bots
  /// Bots that go to another image than `image`; every key is one of `bots`.
  std::map<BotId, ImageReference> bot_images;

  /// The image `bot` is to run.
  const ImageReference& image_for(BotId bot) const;
  bool operator==(const SwapRequest&) const = default;
};

/// Report what runs for each bot, compared with `expect_image` when given.
struct StatusRequest {
  std::vector<BotId> bots;
  std::optional<ImageReference> expect_image;
  std::string login_probe = "health";
  /// Bots expected on another image than `expect_image`; every key is one of `bots`.
  std::map<BotId, ImageReference> bot_images;

  /// The image `bot` is expected to run; nullopt when nothing is expected of it.
  std::optional<ImageReference> expected_for(BotId bot) const;
  bool operator==(const StatusRequest&) const = default;
};

/// Repair half-done swaps of the bots.
struct RecoverRequest {
  std::vector<BotId> bots;
  Duration settle{std::chrono::seconds(10)};  // an unconfirmed new container must stay up

  bool operator==(const RecoverRequest&) const = default;
};

/// Check (and with `fix`, repair) the host's safeguards.
struct BaselineRequest {
  bool fix = false;
  std::int64_t disk_floor_mb = 1024;
  std::string root;  // the directory the host's / is at; empty: the agent's default
  /// The fleet's image: the host checks that its own registry credentials are accepted for
  /// it (a manifest request, no pull). Unset: no registry check.
  std::optional<ImageReference> registry_image;

  bool operator==(const BaselineRequest&) const = default;
};

/// Name the agent build: its version and the sha256 of its binary.
struct VersionRequest {
  bool operator==(const VersionRequest&) const = default;
};

using AgentRequest =
    std::variant<SwapRequest, StatusRequest, RecoverRequest, BaselineRequest, VersionRequest>;

/// The argv (without the program) that asks an agent for `request`: "swap", "--bots", …
std::vector<std::string> agent_argv(const AgentRequest& request);

/// "swap", "status", "recover", "baseline", "version".
std::string_view command_name(const AgentRequest& request);

/// "539,540,541" → ids. Throws InputError for anything but distinct bot ids.
std::vector<BotId> parse_bot_list(std::string_view text);

/// drover-agent's command line: every command and option of the requests above, parsed into
/// an AgentRequest. The program adds what is its own (a --version flag) through app().
class AgentCommandLine {
 public:
  AgentCommandLine();
  ~AgentCommandLine();
  AgentCommandLine(const AgentCommandLine&) = delete;
  AgentCommandLine& operator=(const AgentCommandLine&) = delete;

  /// Parses argv (argv[0] is the program). Throws CLI::ParseError for the command line's shape
  /// (unknown option, missing value, out of range; CLI::CallForHelp for --help) and InputError
  /// for a value that is wrong (bot ids, the image reference, the template).
  AgentRequest parse(int argc, const char* const* argv);
  /// The same for an argv without the program, as agent_argv builds it.
  AgentRequest parse(const std::vector<std::string>& args);

  /// The EC2 instance this agent runs on ($AWS_SSM_INSTANCE_ID, which the SSM Agent sets for
  /// every command; empty elsewhere): `swap` and `status` with --instance-bots take this
  /// instance's bots.
  void set_instance_id(std::string instance_id) { instance_id_ = std::move(instance_id); }

  /// The command seen by the last parse ("agent" before one is known), for error reports.
  std::string command() const;
  /// The underlying CLI11 application: help text and exit codes (app().exit(e)).
  CLI::App& app();

 private:
  struct Options;
  AgentRequest request() const;
  /// --bots, or this instance's entry of --instance-bots, with their --bot-image images.
  std::pair<std::vector<BotId>, std::map<BotId, ImageReference>> bots_of_this_instance() const;

  std::unique_ptr<Options> options_;
  CLI::App app_;
  std::string instance_id_;
};

/// `--instance-bots` text for one command sent to many instances: "i-0abc=539,540;i-0def=541"
/// (instance ids in the order given). Each agent takes its own instance's bots.
std::string instance_bots_text(const std::vector<std::pair<std::string, std::vector<BotId>>>& map);

}  // namespace drover::core
