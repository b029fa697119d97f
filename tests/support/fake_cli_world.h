#pragma once
// The CLI's world made of fakes, to drive drover's commands end to end in a unit test through
// cli::run_drover_cli, exactly as main does with the real sides: a ScriptedTerminal, a clock
// whose sleeps pass at once, a RecordingTransport behind every transport the configuration
// asks for, a registry that pins each tag to a digest without any network, an interrupt flag
// the test raises (Ctrl-C), a lock environment of a fixed operator whose pids all look alive,
// and a temporary directory holding drover.toml and the state directory.
//
// The fleet "unit" takes its images from registry.test/tradebot (default tag v1); every bot
// starts on pinned("v1").
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "cli/cli_world.h"
#include "core/fleet.h"
#include "core/virtual_clock.h"
#include "support/recording_transport.h"
#include "support/scripted_terminal.h"
#include "support/temp_dir.h"
#include "util/http/curl_http_client.h"
#include "util/random.h"

namespace drover::testing {

class FakeCliWorld {
 public:
  /// drover.toml for `hosts`, with `more_toml` (e.g. [speeds.routine] overrides) appended.
  explicit FakeCliWorld(const std::vector<core::Host>& hosts, const std::string& more_toml = "");

  /// `drover <args> --config <drover.toml>`; returns the exit code.
  int run(std::vector<std::string> args);
  /// Replaces drover.toml with `text`.
  void write_config(const std::string& text);

  /// The digest the fake registry serves for `tag`, and the reference pinned to it.
  static std::string digest_of(const std::string& tag);
  static std::string pinned(const std::string& tag);

  const std::filesystem::path& config_file() const { return config_file_; }
  /// $DROVER_STATE_DIR, and the fleet's directory in it.
  std::filesystem::path state_root() const { return dir_.path() / "state"; }
  std::filesystem::path fleet_state() const { return state_root() / "unit"; }
  /// The ids of the journaled deploys, sorted.
  std::vector<std::string> journaled_deploys() const;
  /// The images the registry was asked to pin, in order.
  std::vector<std::string> images_pinned() const;

  ScriptedTerminal terminal;
  core::VirtualClock clock;  // only drover's own thread uses it (the rollout and verify loops)
  SystemRandom random;
  RecordingTransport transport{pinned("v1")};
  std::atomic<bool> interrupt{false};
  /// A second interrupt: drover records the result, releases the lock and ends at once (here
  /// by returning its exit code, as this world has no end_process).
  std::atomic<bool> abandon{false};
  /// The process environment drover sees (DROVER_STATE_DIR is set to state_root()).
  std::map<std::string, std::string> env;
  cli::LockEnvironment lock_environment;
  /// The real HTTP client: [notify] webhooks go to a local receiver (support/http_receiver.h).
  CurlHttpClient http;

 private:
  TempDir dir_;
  std::filesystem::path config_file_;
  mutable std::mutex mutex_;
  std::vector<std::string> images_pinned_;
};

}  // namespace drover::testing
