#include "agent/baseline_checks.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

namespace drover::agent {
namespace {

constexpr unsigned resolv_conf_wanted_mode = 0644;
const char* const resolv_conf = "/etc/resolv.conf";
const char* const systemd_marker = "/run/systemd/system";

std::string octal(unsigned mode) {
  char text[16];
  std::snprintf(text, sizeof text, "%04o", mode);
  return text;
}

std::string trimmed(const std::string& text) {
  auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  auto end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

// systemctl talks to PID 1 over D-Bus; a wedged systemd must not wedge the baseline.
ProcessOptions systemctl_options() {
  ProcessOptions options;
  options.timeout = std::chrono::seconds(30);
  return options;
}

// The unit's boot state as systemctl prints it ("enabled", "disabled", "masked", ...), or ""
// when it printed none (docker not installed: the reason is then on stderr).
struct BootState {
  std::string state;
  std::string complaint;  // stderr, for the detail when state is empty
};

// `systemctl <verb> docker`, pointed at the host's root when it is not "/": systemctl then
// reads and changes the unit files under that directory, offline, without asking PID 1.
std::vector<std::string> systemctl_docker(HostSystem& host, const std::string& verb) {
  std::vector<std::string> argv{"systemctl"};
  if (host.root() != "/") argv.push_back("--root=" + host.root());
  argv.push_back(verb);
  argv.push_back("docker");
  return argv;
}

BootState docker_boot_state(HostSystem& host) {
  auto result = host.run(systemctl_docker(host, "is-enabled"), systemctl_options());
  if (result.timed_out) return {"", "systemctl is-enabled docker timed out"};
  return {trimmed(result.out), trimmed(result.err)};
}

}  // namespace

std::string human_bytes(std::int64_t bytes) {
  static const char* const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024 && bytes > -1024) return std::to_string(bytes) + " B";
  double value = static_cast<double>(bytes) / 1024.0;
  std::size_t unit = 0;
  while ((value >= 1024.0 || value <= -1024.0) && unit + 1 < std::size(units)) {
    value /= 1024.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
  return text;
}

BaselineCheck check_docker_on_boot(HostSystem& host, bool fix) {
  BaselineCheck check;
  check.check = "docker_on_boot";
  check.found = "unknown";
  try {
    if (!host.exists(systemd_marker)) {
      check.found = "no systemd";
      check.detail = std::string("systemd was not found (no ") + systemd_marker +
                     "): drover can only enable docker at boot through systemd; enable it in "
                     "this host's init system by hand, or a reboot leaves every bot down";
      return check;
    }
    auto before = docker_boot_state(host);
    if (!before.state.empty()) check.found = before.state;
    if (before.state == "enabled") {
      check.ok = true;
      check.detail = "docker is enabled at boot";
      return check;
    }
    if (before.state.empty()) {
      check.detail = "systemctl is-enabled docker gave no state (" + before.complaint +
                     "); is docker installed as docker.service?";
      return check;
    }
    if (before.state == "masked") {
      // Someone masked it on purpose; enabling would only fail, and undoing a mask is a human
      // decision.
      check.detail =
          "docker.service is masked; run `systemctl unmask docker` deliberately, "
          "then drover-agent baseline --fix";
      return check;
    }
    check.fixable = true;
    const std::string problem = "docker is '" + before.state +
                                "' at boot, so a reboot leaves every bot down until docker is "
                                "started by hand";
    if (!fix) {
      check.detail = problem + "; --fix runs `systemctl enable docker`";
      return check;
    }
    auto enabled = host.run(systemctl_docker(host, "enable"), systemctl_options());
    auto after = docker_boot_state(host);
    if (after.state == "enabled") {
      check.ok = check.fixed = true;
      check.detail =
          "docker was '" + before.state + "' at boot; enabled it (systemctl enable docker)";
    } else {
      std::string why = trimmed(enabled.err);
      check.detail = problem + "; `systemctl enable docker` did not enable it (" +
                     (why.empty() ? "exit " + std::to_string(enabled.exit_code) : why) +
                     "), it is still '" + after.state + "'";
    }
  } catch (const std::exception& e) {
    check.detail = std::string("could not ask systemd about docker: ") + e.what();
  }
  return check;
}

BaselineCheck check_resolv_conf_mode(HostSystem& host, bool fix) {
  BaselineCheck check;
  check.check = "resolv_conf_mode";
  check.found = "unknown";
  try {
    auto mode = host.file_mode(resolv_conf);
    if (!mode) {
      check.found = "missing";
      check.detail = std::string(resolv_conf) +
                     " does not exist: the bots mount it read-only for DNS, so their containers "
                     "cannot be created; restore the host's DNS configuration";
      return check;
    }
    check.found = octal(*mode);
    if (*mode == resolv_conf_wanted_mode) {
      check.ok = true;
      check.detail = std::string(resolv_conf) + " is mode 0644";
      return check;
    }
    check.fixable = true;
    const std::string problem = std::string(resolv_conf) + " is mode " + octal(*mode) +
                                ", not 0644: the bots run as non-root and read it through their "
                                "read-only mount, so without read access for others they have "
                                "no DNS and cannot reach Redis or MySQL";
    if (!fix) {
      check.detail = problem + "; --fix runs chmod 0644";
      return check;
    }
    host.set_file_mode(resolv_conf, resolv_conf_wanted_mode);
    auto after = host.file_mode(resolv_conf);
    if (after && *after == resolv_conf_wanted_mode) {
      check.ok = check.fixed = true;
      check.detail = std::string(resolv_conf) + " was mode " + octal(*mode) + "; set it to 0644";
    } else {
      check.detail = problem + "; chmod 0644 did not take effect";
    }
  } catch (const std::exception& e) {
    check.detail = std::string("could not check ") + resolv_conf + ": " + e.what();
  }
  return check;
}

BaselineCheck check_disk_free(HostSystem& host, docker::ContainerRuntime& runtime,
                              const BaselineOptions& options) {
  BaselineCheck check;
  check.check = "disk_free";
  check.found = "unknown";
  const std::string floor = human_bytes(options.disk_floor_bytes);
  std::string data_root;
  std::string assumed;
  try {
    data_root = runtime.data_root();
  } catch (const std::exception& e) {
    // The disk matters most exactly when Docker is in trouble, so measure the usual place.
    data_root = "/var/lib/docker";
    assumed = " (Docker did not say where its data root is: " + std::string(e.what()) +
              "; assumed /var/lib/docker)";
  }
  try {
    auto free = host.free_bytes(data_root);
    check.found = human_bytes(free);
    if (free >= options.disk_floor_bytes) {
      check.ok = true;
      check.detail = human_bytes(free) + " free on " + data_root + ", floor " + floor + assumed;
      return check;
    }
    check.fixable = true;
    const std::string problem = "only " + human_bytes(free) + " free on " + data_root +
                                ", below the floor of " + floor +
                                ": image pulls and container starts fail on a full disk" + assumed;
    if (!options.fix) {
      check.detail = problem + "; --fix prunes every image no container uses";
      return check;
    }
    auto pruned = runtime.prune_images();
    auto after = host.free_bytes(data_root);
    std::string what_pruning_did = "pruning " + std::to_string(pruned.deleted.size()) +
                                   " unused image(s) reclaimed " +
                                   human_bytes(pruned.space_reclaimed);
    if (after >= options.disk_floor_bytes) {
      check.ok = check.fixed = true;
      check.detail = what_pruning_did + "; now " + human_bytes(after) + " free on " + data_root +
                     ", floor " + floor;
    } else {
      check.detail = problem + "; " + what_pruning_did + " and only " + human_bytes(after) +
                     " is free: free space on " + data_root + " by hand";
    }
  } catch (const std::exception& e) {
    check.detail = "could not check free space on " + data_root + ": " + e.what() + assumed;
  }
  return check;
}

}  // namespace drover::agent
