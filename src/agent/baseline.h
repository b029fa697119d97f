#pragma once
// `drover-agent baseline [--fix] [--root DIR]`: the host-level safeguards of the operator guide,
// checked and optionally repaired on one host. Each check says whether the host is fine, why
// not, whether --fix can repair it and whether it did:
//   docker_on_boot       dockerd is enabled at boot, so a reboot brings the bots back
//   resolv_conf_mode     /etc/resolv.conf is 0644, so the non-root bots can read the mounted copy
//   docker_log_rotation  dockerd keeps container logs bounded (local/journald, or max-size)
//   disk_free            Docker's data root has at least the floor free (pruning images if not)
//   registry_access      (with a registry image) the registry accepts this host's own
//                        credentials for the fleet's image: a manifest request, no pull
// A check never throws: a failure to even look is reported as that check failing.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/host_system.h"
#include "agent/registry_login.h"
#include "core/agent_report.h"
#include "docker/container_runtime.h"

namespace drover::agent {

struct BaselineOptions {
  bool fix = false;                                       // repair what can be repaired
  std::int64_t disk_floor_bytes = std::int64_t{1} << 30;  // disk_free's floor: 1 GiB
  std::optional<core::ImageReference> registry_image;     // registry_access checks it
  PullAuthLookup registry_auth = anonymous_pull_auth;     // the host's credentials
};

// A check's result is the agent protocol's (core/agent_report.h): what the report says. What
// `found` holds per check:
//   docker_on_boot       systemctl's state ("enabled", "disabled", "masked", …), "no systemd"
//   resolv_conf_mode     the mode ("0644", "0640"), "missing"
//   docker_log_rotation  "local", "journald", "max-size 10m", "unbounded", "invalid", or
//                        another driver's name
//   disk_free            the free space ("12.3 GiB")
//   registry_access      "accepted", "no credentials", "refused", "absent", "unreachable"
// "unknown" when the check could not even look.
using core::BaselineCheck;

struct BaselineReport {
  std::vector<BaselineCheck> checks;
  /// Every check is ok.
  bool ok() const;
};

/// Runs every check in the order above; with options.fix, repairs as it goes.
BaselineReport run_baseline(HostSystem& host, docker::ContainerRuntime& runtime,
                            const BaselineOptions& options);

}  // namespace drover::agent
