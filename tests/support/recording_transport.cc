#include "support/recording_transport.h"

#include <algorithm>
#include <stdexcept>

#include "cli/fleet/agent_build.h"

namespace drover::testing {
namespace {

// The value after `flag` in an agent argv; "" when the flag is absent.
std::string value_of(const std::vector<std::string>& args, const std::string& flag) {
  auto it = std::find(args.begin(), args.end(), flag);
  return it == args.end() || it + 1 == args.end() ? std::string() : *(it + 1);
}

std::vector<core::BotId> bots_of(const std::vector<std::string>& args) {
  std::vector<core::BotId> bots;
  const auto list = value_of(args, "--bots");
  for (std::size_t begin = 0; begin < list.size();) {
    auto end = std::min(list.find(',', begin), list.size());
    bots.push_back(static_cast<core::BotId>(std::stoi(list.substr(begin, end - begin))));
    begin = end + 1;
  }
  return bots;
}

// Each bot's image: --bot-image BOT=REF where given, else the value of `flag`.
std::map<core::BotId, std::string> images_of(const std::vector<std::string>& args,
                                             const std::string& flag) {
  std::map<core::BotId, std::string> images;
  for (auto bot : bots_of(args)) images[bot] = value_of(args, flag);
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] != "--bot-image") continue;
    const auto equals = args[i + 1].find('=');
    images[static_cast<core::BotId>(std::stoi(args[i + 1].substr(0, equals)))] =
        args[i + 1].substr(equals + 1);
  }
  return images;
}

core::AgentResult answered(nlohmann::json report, bool ok) {
  core::AgentResult result;
  result.status = core::TransportStatus::ok;
  result.exit_code = ok ? 0 : 1;
  result.report_line = report.is_null() ? std::string() : report.dump();
  return result;
}

core::AgentResult version_answer(const core::Host& host, const std::string& sha256) {
  return answered({{"command", "version"},
                   {"host", host.name},
                   {"ok", true},
                   {"version", "0.1.0"},
                   {"sha256", sha256}},
                  true);
}

}  // namespace

RecordingTransport::RecordingTransport(std::string initial_image)
    : initial_image_(std::move(initial_image)) {}

ScriptedHost& RecordingTransport::script(const core::HostName& host) {
  std::lock_guard lock(mutex_);
  return scripts_[host];
}

core::AgentResult RecordingTransport::run_agent(const core::Host& host,
                                                const core::AgentCall& call) {
  if (on_call) on_call(host, call);
  ScriptedHost script;
  {
    std::lock_guard lock(mutex_);
    ran_.push_back({host.name, call.args});
    script = scripts_[host.name];
  }
  if (script.reach != core::TransportStatus::ok) {
    core::AgentResult result;
    result.status = script.reach;
    result.detail = "scripted " + std::string(core::to_string(script.reach)) + " on " + host.name;
    return result;
  }
  const auto& command = call.args.at(0);
  if (command == "swap") {
    auto result = swap(host, script, call.args);
    if (script.swap_answer == core::TransportStatus::ok) return result;
    core::AgentResult lost;  // the swap happened; what it said did not arrive
    lost.status = script.swap_answer;
    lost.detail =
        "scripted " + std::string(core::to_string(script.swap_answer)) + " on " + host.name;
    return lost;
  }
  if (command == "status") return status(host, script, call.args);
  if (command == "version") {
    return version_answer(host, script.agent_sha256.empty() ? std::string(cli::built_agent_sha256())
                                                            : script.agent_sha256);
  }
  throw std::logic_error("RecordingTransport: no script for agent command " + command);
}

core::AgentResult RecordingTransport::install_agent(const core::Host& host,
                                                    const core::AgentBinary& binary) {
  {
    std::lock_guard lock(mutex_);
    ran_.push_back({host.name, {"install", binary.sha256}});
    scripts_[host.name].agent_sha256 = binary.sha256;
  }
  return version_answer(host, binary.sha256);
}

core::AgentResult RecordingTransport::swap(const core::Host& host, const ScriptedHost& script,
                                           const std::vector<std::string>& args) {
  if (script.during_swap) script.during_swap();
  const auto image = value_of(args, "--image");
  const auto wanted = images_of(args, "--image");
  auto bots = nlohmann::json::array();
  std::lock_guard lock(mutex_);
  for (auto bot : bots_of(args)) {
    auto& current = images_.try_emplace(bot, initial_image_).first->second;
    // The fake's images are pinned references: each is its own repo digest.
    const nlohmann::json from = {
        {"ref", current}, {"image_id", "sha256:fake-id-of-" + current}, {"repo_digest", current}};
    std::string outcome = "swapped";
    if (script.swap_rolls_back) {
      outcome = "rolled_back";
    } else if (current == wanted.at(bot)) {
      outcome = "unchanged";
    } else {
      current = wanted.at(bot);
    }
    bots.push_back({{"bot", bot},
                    {"outcome", outcome},
                    {"reason", script.swap_rolls_back ? "exited with code 3 (scripted)" : ""},
                    {"repo_digest", current},
                    {"from", from},
                    {"login", std::string(core::to_string(script.login))}});
  }
  return answered({{"command", "swap"},
                   {"host", host.name},
                   {"ok", !script.swap_rolls_back},
                   {"image", {{"ref", image}, {"id", "sha256:fake"}, {"repo_digest", image}}},
                   {"bots", bots},
                   {"prune", {{"space_reclaimed", 0}, {"images_deleted", 0}}},
                   {"error", nullptr}},
                  !script.swap_rolls_back);
}

core::AgentResult RecordingTransport::status(const core::Host& host, const ScriptedHost& script,
                                             const std::vector<std::string>& args) {
  const auto expected_images = images_of(args, "--expect-image");
  auto bots = nlohmann::json::array();
  bool all_match = true;
  std::lock_guard lock(mutex_);
  const auto call = ++status_calls_[host.name];
  auto login = script.login;
  if (script.logs_in_at_status_call > 0 && call >= script.logs_in_at_status_call) {
    login = core::LoginState::logged_in;
  }
  auto asked = bots_of(args);
  asked.resize(asked.size() - std::min(asked.size(), script.status_leaves_out));
  for (auto bot : asked) {
    const auto& current = images_.try_emplace(bot, initial_image_).first->second;
    const auto& expected = expected_images.at(bot);
    all_match = all_match && current == expected;
    bots.push_back({{"bot", bot},
                    {"present", true},
                    {"running", true},
                    {"restart_count", 0},
                    {"repo_digests", nlohmann::json::array({current})},
                    {"matches_expected", current == expected},
                    {"login", std::string(core::to_string(login))}});
  }
  return answered({{"command", "status"}, {"host", host.name}, {"ok", all_match}, {"bots", bots}},
                  all_match);
}

std::vector<RanCommand> RecordingTransport::commands_ran() const {
  std::lock_guard lock(mutex_);
  return ran_;
}

std::vector<core::HostName> RecordingTransport::hosts_that_ran(const std::string& command) const {
  std::vector<core::HostName> hosts;
  for (const auto& ran : commands_ran()) {
    if (!ran.args.empty() && ran.args.front() == command) hosts.push_back(ran.host);
  }
  return hosts;
}

std::string RecordingTransport::image_of(core::BotId bot) const {
  std::lock_guard lock(mutex_);
  auto it = images_.find(bot);
  return it == images_.end() ? initial_image_ : it->second;
}

void RecordingTransport::expect_other_agent_builds(const std::vector<core::HostName>& hosts) {
  std::lock_guard lock(mutex_);
  other_agent_builds_.insert(other_agent_builds_.end(), hosts.begin(), hosts.end());
}

std::vector<core::HostName> RecordingTransport::other_agent_builds() const {
  std::lock_guard lock(mutex_);
  return other_agent_builds_;
}

std::unique_ptr<core::Transport> RecordingTransport::handle() {
  class Forwarding final : public core::Transport {
   public:
    explicit Forwarding(RecordingTransport& target) : target_(target) {}
    core::AgentResult run_agent(const core::Host& host, const core::AgentCall& call) override {
      return target_.run_agent(host, call);
    }
    core::AgentResult install_agent(const core::Host& host,
                                    const core::AgentBinary& binary) override {
      return target_.install_agent(host, binary);
    }
    void expect_other_agent_builds(const std::vector<core::HostName>& hosts) override {
      target_.expect_other_agent_builds(hosts);
    }

   private:
    RecordingTransport& target_;
  };
  return std::make_unique<Forwarding>(*this);
}

}  // namespace drover::testing
