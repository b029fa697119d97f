#include "core/agent_request.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>
#include <utility>

#include "core/input_error.h"

namespace drover::core {
namespace {

// The option names, once: agent_argv writes them and AgentCommandLine reads them.
constexpr const char* kBots = "--bots";
constexpr const char* kImage = "--image";
constexpr const char* kStopTimeout = "--stop-timeout";
constexpr const char* kSettle = "--settle";
constexpr const char* kJitter = "--jitter";
constexpr const char* kLoginWait = "--login-wait";
constexpr const char* kLoginProbe = "--login-probe";
constexpr const char* kDiskFloorMb = "--disk-floor-mb";
constexpr const char* kTemplate = "--template";
constexpr const char* kExpectImage = "--expect-image";
constexpr const char* kFix = "--fix";
constexpr const char* kRoot = "--root";
constexpr const char* kRegistryImage = "--registry-image";
constexpr const char* kBotImage = "--bot-image";
constexpr const char* kInstanceBots = "--instance-bots";

constexpr double kMaxSeconds = 3600;
constexpr std::int64_t kMaxDiskFloorMb = std::int64_t{1} << 30;

std::string bot_list_text(const std::vector<BotId>& bots) {
  std::string out;
  for (auto id : bots) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

// "10" for whole seconds, else the milliseconds as a decimal fraction: "2.5", "0.125".
std::string seconds_text(Duration duration) {
  const auto ms = duration.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000);
  std::string text = fmt::format("{}.{:03}", ms / 1000, ms % 1000);
  while (text.back() == '0') text.pop_back();
  return text;
}

// --bot-image 540=REF, once per bot, in bot order.
void add_bot_images(std::vector<std::string>& args,
                    const std::map<BotId, ImageReference>& bot_images) {
  for (const auto& [bot, image] : bot_images) {
    args.insert(args.end(), {kBotImage, std::to_string(bot) + "=" + image.str()});
  }
}

// "540=REF" pairs back into a map; every bot must be one of `bots`, and listed once.
std::map<BotId, ImageReference> parse_bot_images(const std::vector<std::string>& pairs,
                                                 const std::vector<BotId>& bots) {
  std::map<BotId, ImageReference> images;
  for (const auto& pair : pairs) {
    const auto equals = pair.find('=');
    if (equals == std::string::npos) {
      throw InputError(kBotImage, "'" + pair + "' is not BOT=IMAGE",
                       "pass e.g. --bot-image 540=repo@sha256:…");
    }
    const BotId bot = parse_bot_id(std::string_view(pair).substr(0, equals));
    if (std::find(bots.begin(), bots.end(), bot) == bots.end()) {
      throw InputError(kBotImage, "bot " + std::to_string(bot) + " is not in --bots",
                       "give an image only to a bot the command is about");
    }
    if (!images.emplace(bot, parse_image_reference(pair.substr(equals + 1))).second) {
      throw InputError(kBotImage, "bot " + std::to_string(bot) + " is given two images",
                       "give each bot at most one --bot-image");
    }
  }
  return images;
}

// "i-0abc=539,540;i-0def=541" as instance id -> its bots; every bot once in the whole map.
std::map<std::string, std::vector<BotId>> parse_instance_bots(std::string_view text) {
  std::map<std::string, std::vector<BotId>> out;
  std::set<BotId> seen;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(';', start), text.size());
    const auto entry = text.substr(start, end - start);
    const auto equals = entry.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      throw InputError(kInstanceBots, "'" + std::string(entry) + "' is not INSTANCE=BOTS",
                       "pass e.g. --instance-bots 'i-0abc=539,540;i-0def=541'");
    }
    const std::string instance(entry.substr(0, equals));
    auto bots = parse_bot_list(entry.substr(equals + 1));
    for (BotId bot : bots) {
      if (!seen.insert(bot).second) {
        throw InputError(kInstanceBots, "bot " + std::to_string(bot) + " is listed twice",
                         "give each bot to one instance");
      }
    }
    if (!out.emplace(instance, std::move(bots)).second) {
      throw InputError(kInstanceBots, "instance " + instance + " is listed twice",
                       "list each instance once");
    }
    start = end + 1;
  }
  return out;
}

Duration from_seconds(double seconds) {
  return Duration(static_cast<Duration::rep>(std::llround(seconds * 1000)));
}

std::vector<std::string> argv_of(const SwapRequest& r) {
  std::vector<std::string> args = {"swap",
                                   kBots,
                                   bot_list_text(r.bots),
                                   kImage,
                                   r.image.str(),
                                   kStopTimeout,
                                   std::to_string(r.stop_timeout.count()),
                                   kSettle,
                                   seconds_text(r.settle),
                                   kLoginWait,
                                   seconds_text(r.login_wait),
                                   kLoginProbe,
                                   r.login_probe,
                                   kDiskFloorMb,
                                   std::to_string(r.disk_floor_mb)};
  if (r.jitter.count() > 0) args.insert(args.end(), {kJitter, seconds_text(r.jitter)});
  if (r.container_template) args.insert(args.end(), {kTemplate, r.container_template->dump()});
  add_bot_images(args, r.bot_images);
  return args;
}

std::vector<std::string> argv_of(const StatusRequest& r) {
  std::vector<std::string> args = {"status", kBots, bot_list_text(r.bots), kLoginProbe,
                                   r.login_probe};
  if (r.expect_image) args.insert(args.end(), {kExpectImage, r.expect_image->str()});
  add_bot_images(args, r.bot_images);
  return args;
}

std::vector<std::string> argv_of(const RecoverRequest& r) {
  return {"recover", kBots, bot_list_text(r.bots), kSettle, seconds_text(r.settle)};
}

std::vector<std::string> argv_of(const BaselineRequest& r) {
  std::vector<std::string> args = {"baseline", kDiskFloorMb, std::to_string(r.disk_floor_mb)};
  if (r.fix) args.push_back(kFix);
  if (!r.root.empty()) args.insert(args.end(), {kRoot, r.root});
  if (r.registry_image) args.insert(args.end(), {kRegistryImage, r.registry_image->str()});
  return args;
}

std::vector<std::string> argv_of(const VersionRequest&) {
  return {"version"};
}

std::optional<nlohmann::json> template_value(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    throw InputError(kTemplate, "is not a JSON object",
                     "pass a Docker create body, e.g. {\"Env\":[\"BOT_ID={id}\"]}");
  }
  return parsed;
}

}  // namespace

const ImageReference& SwapRequest::image_for(BotId bot) const {
  const auto found = bot_images.find(bot);
  return found == bot_images.end() ? image : found->second;
}

std::optional<ImageReference> StatusRequest::expected_for(BotId bot) const {
  const auto found = bot_images.find(bot);
  return found == bot_images.end() ? expect_image : std::optional(found->second);
}

std::vector<std::string> agent_argv(const AgentRequest& request) {
  return std::visit([](const auto& r) { return argv_of(r); }, request);
}

std::string_view command_name(const AgentRequest& request) {
  static constexpr std::string_view kNames[] = {"swap", "status", "recover", "baseline", "version"};
  static_assert(std::size(kNames) == std::variant_size_v<AgentRequest>);
  return kNames[request.index()];
}

std::string instance_bots_text(const std::vector<std::pair<std::string, std::vector<BotId>>>& map) {
  std::string out;
  for (const auto& [instance, bots] : map) {
    out += (out.empty() ? "" : ";") + instance + "=" + bot_list_text(bots);
  }
  return out;
}

std::vector<BotId> parse_bot_list(std::string_view text) {
  std::vector<BotId> ids;
  std::set<BotId> seen;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = std::min(text.find(',', start), text.size());
    BotId id = parse_bot_id(text.substr(start, end - start));
    if (!seen.insert(id).second) {
      throw InputError(kBots, "bot " + std::to_string(id) + " is listed twice",
                       "list each bot once, e.g. --bots 539,540,541");
    }
    ids.push_back(id);
    start = end + 1;
  }
  return ids;
}

// What CLI11 fills in, as typed; request() turns it into a checked request.
struct AgentCommandLine::Options {
  CLI::App* swap = nullptr;
  CLI::App* status = nullptr;
  CLI::App* recover = nullptr;
  CLI::App* baseline = nullptr;
  CLI::App* version = nullptr;

  struct Values {
    std::string bots;
    std::string image;
    std::string expect_image;
    int stop_timeout = 35;
    double settle = 10;
    double jitter = 0;
    double login_wait = 0;
    std::string container_template;
    std::string login_probe = "health";
    std::int64_t disk_floor_mb = 1024;
    bool fix = false;
    std::string root;
    std::string registry_image;
    std::vector<std::string> bot_images;
    std::string instance_bots;
  } values;
};

AgentCommandLine::AgentCommandLine()
    : options_(std::make_unique<Options>()),
      app_("drover-agent: swaps a host's bots to a new image, safely; reports JSON on stdout") {
  app_.require_subcommand(1);
  auto& v = options_->values;
  auto add_bots = [&](CLI::App* cmd) {
    cmd->add_option(kBots, v.bots, "bot ids, comma separated (539,540,541)")->required();
  };
  auto add_bot_image_option = [&](CLI::App* cmd, const char* help) {
    cmd->add_option(kBotImage, v.bot_images, help)
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  };
  auto add_probe = [&](CLI::App* cmd) {
    cmd->add_option(kLoginProbe, v.login_probe,
                    "health | log:REGEX | redis:IP:PORT/KEY_TEMPLATE=VALUE");
  };
  // --instance-bots: one SSM command for many instances, each agent taking its own bots.
  auto add_bots_or_instance_bots = [&](CLI::App* cmd) {
    auto* bots = cmd->add_option(kBots, v.bots, "bot ids, comma separated (539,540,541)");
    cmd->add_option(kInstanceBots, v.instance_bots,
                    "INSTANCE=BOTS;...: one command for many SSM instances; this agent takes "
                    "the bots of $AWS_SSM_INSTANCE_ID")
        ->excludes(bots);
  };
  auto* swap = options_->swap =
      app_.add_subcommand("swap", "swap the bots to --image (rollback-safe)");
  add_bots_or_instance_bots(swap);
  swap->add_option(kImage, v.image, "image reference (repo:tag or repo@sha256:...)")->required();
  swap->add_option(kStopTimeout, v.stop_timeout, "graceful stop timeout, seconds")
      ->check(CLI::Range(0, static_cast<int>(kMaxSeconds)));
  swap->add_option(kSettle, v.settle, "seconds the new container must stay up")
      ->check(CLI::Range(0.0, kMaxSeconds));
  swap->add_option(kJitter, v.jitter, "wait a random 0..S seconds first")
      ->check(CLI::Range(0.0, kMaxSeconds));
  swap->add_option(kLoginWait, v.login_wait, "poll the login probe up to S seconds")
      ->check(CLI::Range(0.0, kMaxSeconds));
  swap->add_option(kTemplate, v.container_template,
                   "Docker create body (JSON) for bots with no container; {id} = bot id");
  swap->add_option(kDiskFloorMb, v.disk_floor_mb, "refuse below this free disk")
      ->check(CLI::Range(std::int64_t{0}, kMaxDiskFloorMb));
  add_bot_image_option(swap, "BOT=REF: this bot goes to REF instead of --image (repeatable)");
  add_probe(swap);
  auto* status = options_->status = app_.add_subcommand("status", "report what runs for each bot");
  add_bots_or_instance_bots(status);
  status->add_option(kExpectImage, v.expect_image, "compare against this image");
  add_bot_image_option(status, "BOT=REF: compare this bot against REF instead (repeatable)");
  add_probe(status);
  auto* recover = options_->recover = app_.add_subcommand("recover", "repair half-done swaps");
  add_bots(recover);
  recover->add_option(kSettle, v.settle, "seconds an unconfirmed new container must stay up")
      ->check(CLI::Range(0.0, kMaxSeconds));
  auto* baseline = options_->baseline =
      app_.add_subcommand("baseline", "check (and --fix) the host's safeguards");
  baseline->add_flag(kFix, v.fix, "repair what can be repaired");
  baseline->add_option(kDiskFloorMb, v.disk_floor_mb, "minimum free disk")
      ->check(CLI::Range(std::int64_t{0}, kMaxDiskFloorMb));
  baseline->add_option(kRoot, v.root,
                       "check the host whose / is at this directory (default "
                       "$DROVER_AGENT_ROOT, else /)");
  baseline->add_option(kRegistryImage, v.registry_image,
                       "check this host's registry credentials for this image (no pull)");
  options_->version = app_.add_subcommand("version", "print the version and the binary's sha256");
}

AgentCommandLine::~AgentCommandLine() = default;

CLI::App& AgentCommandLine::app() {
  return app_;
}

std::string AgentCommandLine::command() const {
  const auto seen = app_.get_subcommands();
  return seen.empty() ? "agent" : seen.front()->get_name();
}

AgentRequest AgentCommandLine::parse(int argc, const char* const* argv) {
  options_->values = {};
  app_.parse(argc, argv);
  return request();
}

AgentRequest AgentCommandLine::parse(const std::vector<std::string>& args) {
  std::vector<const char*> argv = {"drover-agent"};
  for (const auto& arg : args) argv.push_back(arg.c_str());
  return parse(static_cast<int>(argv.size()), argv.data());
}

std::pair<std::vector<BotId>, std::map<BotId, ImageReference>>
AgentCommandLine::bots_of_this_instance() const {
  const auto& v = options_->values;
  if (v.instance_bots.empty()) {
    if (v.bots.empty()) {
      throw InputError(kBots, "is required", "pass the bots, e.g. --bots 539,540,541");
    }
    auto bots = parse_bot_list(v.bots);
    auto images = parse_bot_images(v.bot_images, bots);
    return {std::move(bots), std::move(images)};
  }
  const auto map = parse_instance_bots(v.instance_bots);
  const auto mine = map.find(instance_id_);
  if (instance_id_.empty() || mine == map.end()) {
    throw InputError(kInstanceBots,
                     "this instance (" +
                         (instance_id_.empty() ? "no AWS_SSM_INSTANCE_ID" : instance_id_) +
                         ") is not in the map",
                     "run it through SSM Run Command on an instance the map names");
  }
  // The images of every instance's bots come with one shared command: keep this one's.
  std::vector<BotId> all;
  for (const auto& [instance, bots] : map) all.insert(all.end(), bots.begin(), bots.end());
  std::map<BotId, ImageReference> images;
  for (auto& [bot, image] : parse_bot_images(v.bot_images, all)) {
    if (std::find(mine->second.begin(), mine->second.end(), bot) != mine->second.end()) {
      images.emplace(bot, std::move(image));
    }
  }
  return {mine->second, std::move(images)};
}

AgentRequest AgentCommandLine::request() const {
  const auto& v = options_->values;
  if (options_->swap->parsed()) {
    SwapRequest r;
    std::tie(r.bots, r.bot_images) = bots_of_this_instance();
    r.image = parse_image_reference(v.image);
    r.stop_timeout = std::chrono::seconds(v.stop_timeout);
    r.settle = from_seconds(v.settle);
    r.jitter = from_seconds(v.jitter);
    r.login_wait = from_seconds(v.login_wait);
    r.login_probe = v.login_probe;
    r.disk_floor_mb = v.disk_floor_mb;
    r.container_template = template_value(v.container_template);
    return r;
  }
  if (options_->status->parsed()) {
    StatusRequest r;
    if (!v.expect_image.empty()) r.expect_image = parse_image_reference(v.expect_image);
    r.login_probe = v.login_probe;
    std::tie(r.bots, r.bot_images) = bots_of_this_instance();
    return r;
  }
  if (options_->recover->parsed()) {
    return RecoverRequest{parse_bot_list(v.bots), from_seconds(v.settle)};
  }
  if (options_->baseline->parsed()) {
    BaselineRequest r{v.fix, v.disk_floor_mb, v.root, std::nullopt};
    if (!v.registry_image.empty()) r.registry_image = parse_image_reference(v.registry_image);
    return r;
  }
  return VersionRequest{};
}

}  // namespace drover::core
