#include "support/fake_cli_world.h"

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "cli/drover_cli.h"
#include "util/sha256.h"

namespace drover::testing {
namespace {

std::string toml_of(const std::vector<core::Host>& hosts, const std::string& more_toml) {
  std::string text =
      "[fleet]\nname = \"unit\"\nimage = \"registry.test/tradebot\"\ndefault_tag = \"v1\"\n\n" +
      more_toml + "\n";
  for (const auto& host : hosts) {
    text += "[[hosts]]\nname = \"" + host.name + "\"\n";
    if (host.address) text += "address = \"" + *host.address + "\"\n";
    text += "bots = [";
    for (std::size_t i = 0; i < host.bots.size(); ++i) {
      text += (i == 0 ? "" : ", ") + std::to_string(host.bots[i]);
    }
    text += "]\ngroup = \"" + std::string(core::to_string(host.group)) + "\"\n\n";
  }
  return text;
}

}  // namespace

FakeCliWorld::FakeCliWorld(const std::vector<core::Host>& hosts, const std::string& more_toml)
    : lock_environment{{"tester", "ops-1"},
                       4242,
                       [] { return std::string("2026-06-12T10:00:00Z"); },
                       [](pid_t) { return true; },
                       "unit-machine"},
      config_file_(dir_.path() / "drover.toml") {
  env["DROVER_STATE_DIR"] = state_root().string();
  write_config(toml_of(hosts, more_toml));
}

void FakeCliWorld::write_config(const std::string& text) {
  std::ofstream(config_file_, std::ios::trunc) << text;
}

int FakeCliWorld::run(std::vector<std::string> args) {
  args.insert(args.begin(), "drover");
  args.insert(args.end(), {"--config", config_file_.string()});
  std::string command_line;
  std::vector<char*> argv;
  for (auto& arg : args) {
    command_line += (command_line.empty() ? "" : " ") + arg;
    argv.push_back(arg.data());
  }
  cli::CliWorld world{terminal,
                      clock,
                      random,
                      [this](const std::string& name) -> std::optional<std::string> {
                        auto it = env.find(name);
                        return it == env.end() ? std::nullopt : std::optional(it->second);
                      },
                      interrupt,
                      [this](const cli::DroverConfig&) { return transport.handle(); },
                      [] { return std::string("2026-06-12T10:00:00Z"); },
                      command_line,
                      [](const cli::AwsSettings&) -> cli::AwsApis {
                        throw std::logic_error("FakeCliWorld has no AWS: use the local transport");
                      },
                      [this](const core::ImageReference& image, const cli::AwsSettings&) {
                        std::lock_guard lock(mutex_);
                        images_pinned_.push_back(image.str());
                        return image.digest.empty() ? digest_of(image.tag) : image.digest;
                      },
                      lock_environment,
                      http,
                      &abandon};
  return cli::run_drover_cli(static_cast<int>(argv.size()), argv.data(), world);
}

std::string FakeCliWorld::digest_of(const std::string& tag) {
  return "sha256:" + sha256_hex(tag);
}

std::string FakeCliWorld::pinned(const std::string& tag) {
  return "registry.test/tradebot@" + digest_of(tag);
}

std::vector<std::string> FakeCliWorld::journaled_deploys() const {
  std::vector<std::string> ids;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(fleet_state() / "deploys", ec)) {
    if (entry.path().extension() == ".jsonl") ids.push_back(entry.path().stem().string());
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<std::string> FakeCliWorld::images_pinned() const {
  std::lock_guard lock(mutex_);
  return images_pinned_;
}

}  // namespace drover::testing
