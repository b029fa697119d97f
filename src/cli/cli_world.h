#pragma once
// Everything the drover commands touch outside their own memory, built once in main; the unit
// tests build it from fakes (tests/support/fake_cli_world.h) and run the same commands.
#include <atomic>
#include <functional>
#include <memory>

#include "cli/aws/apis.h"
#include "cli/config/drover_toml.h"
#include "cli/lock/deploy_lock.h"
#include "cli/state/state_dir.h"
#include "cli/view/rollout_view.h"
#include "cli/view/terminal.h"
#include "core/image_reference.h"
#include "core/transport.h"
#include "util/clock.h"
#include "util/http/http_client.h"
#include "util/random.h"

namespace drover::cli {

/// The digest ("sha256:<64 hex>") a registry serves for an image's tag now; for a reference
/// that carries a digest, that digest once the registry confirmed it has it. `aws` says how to
/// reach AWS when the registry is ECR (profile, endpoint). The real side is resolve_digest
/// (registry/registry_digest.h) with the operator's registry credentials
/// (registry/operator_credentials.h); it throws core::InputError when the registry cannot say.
using DigestLookup =
    std::function<std::string(const core::ImageReference& image, const AwsSettings& aws)>;

struct CliWorld {
  Terminal& terminal;
  Clock& clock;
  Random& random;
  EnvLookup env;
  /// Set by the SIGINT handler: stop starting hosts.
  const std::atomic<bool>& interrupt_requested;
  /// The transport the configuration asks for.
  std::function<std::unique_ptr<core::Transport>(const DroverConfig&)> make_transport;
  /// The wall clock as RFC 3339 UTC, for plans and journals (core reads no clock).
  std::function<std::string()> now_utc;
  std::string command_line;  // for the lock and the journal: "drover deploy all routine -y"
  /// AWS for the ssm transport, fleet discovery, the Parameter Store lock and inventory.
  AwsConnect aws;
  /// Pins a deploy's (or verify's) image to what its tag names at plan time.
  DigestLookup resolve_digest;
  /// What the deploy lock asks of the OS: who runs drover (`self`), this process's pid, the
  /// wall clock, whether a pid is alive.
  LockEnvironment lock_environment;
  /// HTTP for the webhooks of [notify] (the real side is libcurl; tests post to a local
  /// receiver).
  HttpClient& http;
  /// Set by a second SIGINT/SIGTERM/SIGHUP: stop waiting for anything (null: never).
  const std::atomic<bool>* abandon_requested = nullptr;
  /// Ends the process at once with `code`, whatever other threads are doing (the real side
  /// flushes stdout and stderr, then _exit). Unset in tests: the command throws EndedAtOnce.
  std::function<void(int code)> end_process = {};

  /// Who runs drover, as locks and journals name them: the lock environment's `self`.
  const OperatorIdentity& operator_identity() const { return lock_environment.self; }
};

}  // namespace drover::cli
