#pragma once
// The individual checks behind run_baseline (baseline.h), one function each so that the agent
// and tests can run one alone. With `fix`, a check repairs what it can and re-checks.
#include <cstdint>
#include <string>

#include "agent/baseline.h"
#include "agent/host_system.h"
#include "docker/container_runtime.h"

namespace drover::agent {

/// systemd present (/run/systemd/system) and `systemctl is-enabled docker` says "enabled";
/// fix: `systemctl enable docker`. Without systemd it fails, not fixable. Under a host root
/// other than "/" both the marker and systemctl (`systemctl --root=<root> …`) look there.
BaselineCheck check_docker_on_boot(HostSystem& host, bool fix);

/// /etc/resolv.conf has mode 0644; fix: chmod 0644.
BaselineCheck check_resolv_conf_mode(HostSystem& host, bool fix);

/// /etc/docker/daemon.json bounds container logs: log-driver local or journald, or json-file
/// (the default) with log-opts max-size. Fix: merge log-opts max-size 10m / max-file 3 into
/// the file, keeping every other key (creating it if missing). A file that is not valid JSON is
/// reported and never rewritten.
BaselineCheck check_docker_log_rotation(HostSystem& host, bool fix);

/// Docker's data root has at least options.disk_floor_bytes free; fix: prune unused images,
/// then re-check.
BaselineCheck check_disk_free(HostSystem& host, docker::ContainerRuntime& runtime,
                              const BaselineOptions& options);

/// The registry answers a manifest request for `image` (GET /distribution/{name}/json through
/// the engine: the registry exchange a pull starts with, and no layer) with the host's own
/// credentials. Not fixable by the agent: the fix is configuring the host's credentials.
BaselineCheck check_registry_access(docker::ContainerRuntime& runtime,
                                    const core::ImageReference& image,
                                    const PullAuthLookup& registry_auth);

/// "512.0 MiB", "1.0 GiB", "900 B": byte counts as an operator reads them.
std::string human_bytes(std::int64_t bytes);

}  // namespace drover::agent
