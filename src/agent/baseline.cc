#include "agent/baseline.h"

#include <algorithm>

#include "agent/baseline_checks.h"

namespace drover::agent {

bool BaselineReport::ok() const {
  return std::all_of(checks.begin(), checks.end(), [](const auto& c) { return c.ok; });
}

BaselineReport run_baseline(HostSystem& host, docker::ContainerRuntime& runtime,
                            const BaselineOptions& options) {
  BaselineReport report;
  report.checks.push_back(check_docker_on_boot(host, options.fix));
  report.checks.push_back(check_resolv_conf_mode(host, options.fix));
  report.checks.push_back(check_docker_log_rotation(host, options.fix));
  report.checks.push_back(check_disk_free(host, runtime, options));
  if (options.registry_image) {
    report.checks.push_back(
        check_registry_access(runtime, *options.registry_image, options.registry_auth));
  }
  return report;
}

}  // namespace drover::agent
