#include "cli/config/ssh.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "core/printable_text.h"
#include "transport/ssh/ssh_address.h"

namespace drover::cli {
namespace {

const Expected kConfig{"a file path in quotes", "config = \"~/.ssh/drover_config\""};
const Expected kConnectTimeout{"a number of seconds", "connect_timeout = 10"};
const Expected kControlPersist{"a number of seconds", "control_persist = 60"};
const Expected kHosts{"one [[hosts]] table per host", "[[hosts]]  then  name = \"host-1\""};

constexpr std::int64_t kMaxConnectTimeoutS = 300;
constexpr std::int64_t kMaxControlPersistS = 3600;

// `~/x` as ssh would read it; relative paths against the config file's directory, so the
// same drover.toml works from any working directory. $HOME is read here, once, at load.
std::string resolve_config_path(const ConfigTable& ssh, const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty()) {
    ssh.fail("config", "is empty", "give the ssh_config file, e.g. config = \"~/.ssh/config\"");
  }
  if (path == "~" || path.starts_with("~/")) {
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0') {
      ssh.fail("config", fmt::format("'{}' needs $HOME, which is not set", path),
               "set HOME or write the absolute path");
    }
    return std::string(home) + path.substr(1);
  }
  if (path.starts_with('~')) {
    ssh.fail("config", fmt::format("'{}': only ~/ (your own home) is expanded", path),
             "write the absolute path");
  }
  if (fs::path(path).is_absolute()) {
    return path;
  }
  return (fs::path(ssh.file()).parent_path() / path).lexically_normal().string();
}

int read_seconds(const ConfigTable& ssh, std::string_view key, const Expected& expected,
                 std::int64_t fallback, std::int64_t max) {
  auto value = ssh.integer(key, expected).value_or(fallback);
  if (value < 1 || value > max) {
    ssh.fail(key, fmt::format("{} s is out of range", value),
             fmt::format("give 1 to {} seconds, e.g. {}", max, expected.example));
  }
  return static_cast<int>(value);
}

}  // namespace

transport::SshSettings read_ssh_settings(const std::optional<ConfigTable>& table, bool is_ssh) {
  transport::SshSettings settings;
  if (!table) {
    return settings;
  }
  if (!is_ssh) {
    config_error(table->place(), "an [ssh] table is only read with transport = \"ssh\"",
                 "set transport = \"ssh\" in [fleet], or remove the [ssh] table");
  }
  table->allow_only({"config", "connect_timeout", "control_persist"});
  if (auto path = table->string("config", kConfig)) {
    settings.config_file = resolve_config_path(*table, *path);
  }
  settings.connect_timeout_s =
      read_seconds(*table, "connect_timeout", kConnectTimeout, 10, kMaxConnectTimeoutS);
  settings.control_persist_s =
      read_seconds(*table, "control_persist", kControlPersist, 60, kMaxControlPersistS);
  return settings;
}

void check_ssh_addresses(const ConfigTable& root, const std::vector<core::Host>& hosts) {
  const toml::array* entries = root.array("hosts", kHosts);
  for (std::size_t i = 0; i < hosts.size() && entries && i < entries->size(); ++i) {
    const auto* entry = entries->get(i)->as_table();
    if (entry == nullptr) {
      continue;  // read_hosts has refused it already
    }
    ConfigTable table(*entry, root.file(), fmt::format("hosts[{}]", i));
    const auto& host = hosts[i];
    const std::string key = host.address ? "address" : "name";
    const std::string& text = host.address ? *host.address : host.name;
    try {
      transport::parse_ssh_address(text);
    } catch (const std::invalid_argument& e) {
      table.fail(key,
                 fmt::format("'{}' is not an ssh address: {}", core::printable(text), e.what()),
                 std::string(transport::kSshAddressForms));
    }
  }
}

}  // namespace drover::cli
