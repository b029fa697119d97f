#include "cli/config/drover_toml.h"

#include <fmt/format.h>

#include "cli/config/container.h"
#include "cli/config/hosts.h"
#include "cli/config/login_probe.h"
#include "cli/config/lookup.h"
#include "cli/config/speeds.h"
#include "cli/config/ssh.h"
#include "cli/config/table.h"
#include "cli/config/toml_depth.h"
#include "core/image_reference.h"
#include "core/input_error.h"
#include "core/name_table.h"
#include "core/printable_text.h"
#include "transport/ssm/instance_id.h"
#include "util/bounded_read.h"

namespace drover::cli {
namespace {

// A real drover.toml is a few KB (a thousand [[hosts]] are about 100 KB); the limit keeps a
// wrong path (a log, a device) from being read whole.
constexpr std::size_t kMaxConfigBytes = std::size_t{1} << 20;
constexpr std::int64_t kMaxDiskFloorMb = std::int64_t{1} << 30;  // the agent's own limit

const Expected kFleetTable{"a [fleet] table", "[fleet]  then  name = \"tradebot\""};
const Expected kFleetName{"the fleet's name in quotes", "name = \"tradebot\""};
const Expected kTransport{"\"local\", \"ssh\" or \"ssm\"", "transport = \"ssh\""};
const Expected kAws{"an [aws] table", "[aws]  then  profile = \"prod\""};
const Expected kImage{"the image repository in quotes", "image = \"127.0.0.1:5000/tradebot\""};
const Expected kDefaultTag{"a tag in quotes", "default_tag = \"latest\""};
const Expected kAgentPath{"an absolute path in quotes",
                          "agent_path = \"/usr/local/bin/drover-agent\""};
const Expected kLoginProbe{"a probe spec in quotes", "login_probe = \"health\""};
const Expected kDiskFloor{"a number of MiB", "disk_floor_mb = 1024"};
const Expected kSpeeds{"a table per speed", "[speeds.routine]  then  concurrency = 5"};
const Expected kSsh{"a table", "[ssh]  then  connect_timeout = 10"};
const Expected kNotify{"a [notify] table", "[notify]  then  timeout = 5"};
const Expected kContainer{"a table (a Docker create body)",
                          "[container]  then  env = [\"BOT_ID={id}\"]"};

// The one fleet name rule (core::check_fleet_name), reported at the key's line.
std::string read_fleet_name(const ConfigTable& fleet) {
  auto name = fleet.required_string("name", kFleetName);
  try {
    core::check_fleet_name(name);
  } catch (const core::InputError& e) {
    fleet.fail("name", e.problem(), e.fix());
  }
  return name;
}

constexpr core::NameTable<TransportKind, 3> kTransportKindNames{{
    {TransportKind::local, "local"},
    {TransportKind::ssh, "ssh"},
    {TransportKind::ssm, "ssm"},
}};
static_assert(core::covers_every_value(kTransportKindNames));

TransportKind read_transport(const ConfigTable& fleet) {
  auto text = fleet.string("transport", kTransport).value_or("local");
  if (auto kind = core::value_named(kTransportKindNames, text)) return *kind;
  fleet.fail("transport", fmt::format("'{}' is not a transport", core::printable(text)),
             "use transport = \"local\", \"ssh\" or \"ssm\"");
}

std::string read_repository(const ConfigTable& fleet) {
  auto text = fleet.required_string("image", kImage);
  core::ImageReference ref;
  try {
    ref = core::parse_image_reference(text);
  } catch (const core::InputError& e) {
    fleet.fail("image", e.problem(), e.fix());
  }
  if (!ref.tag.empty() || !ref.digest.empty()) {
    fleet.fail(
        "image",
        fmt::format("'{}' has a {}; image is the repository alone", core::printable(text),
                    ref.digest.empty() ? "tag" : "digest"),
        fmt::format("write image = \"{}\" and put the tag in default_tag", ref.repository()));
  }
  return ref.repository();
}

std::string read_default_tag(const ConfigTable& fleet, const std::string& repository) {
  auto tag = fleet.string("default_tag", kDefaultTag).value_or("latest");
  core::ImageReference ref;
  try {
    ref = core::parse_image_reference(repository + ":" + tag);
  } catch (const core::InputError& e) {
    fleet.fail("default_tag", e.problem(), e.fix());
  }
  if (ref.tag != tag) {
    fleet.fail("default_tag", fmt::format("'{}' is not a tag", core::printable(tag)),
               "a tag is letters, digits, '_', '.' and '-' (up to 128), e.g. default_tag = \"v2\"");
  }
  return tag;
}

std::optional<std::string> read_agent_path(const ConfigTable& fleet) {
  auto path = fleet.string("agent_path", kAgentPath);
  if (!path) {
    return std::nullopt;
  }
  bool ok = path->starts_with('/');
  for (char c : *path) {
    ok = ok && static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
  }
  if (!ok) {
    fleet.fail("agent_path", fmt::format("'{}' is not an absolute path", core::printable(*path)),
               "write it like: agent_path = \"/usr/local/bin/drover-agent\", or remove it to use "
               "the drover-agent installed next to drover");
  }
  return path;
}

std::string read_login_probe(const ConfigTable& fleet) {
  auto spec = fleet.string("login_probe", kLoginProbe).value_or("health");
  if (auto problem = login_probe_problem(spec)) {
    fleet.fail("login_probe", *problem, std::string(login_probe_forms()));
  }
  return spec;
}

std::int64_t read_disk_floor(const ConfigTable& fleet) {
  auto mb = fleet.integer("disk_floor_mb", kDiskFloor).value_or(1024);
  if (mb < 0 || mb > kMaxDiskFloorMb) {
    fleet.fail("disk_floor_mb", fmt::format("{} MiB is out of range", mb),
               "give 0 (no floor) up to 1073741824 MiB, e.g. disk_floor_mb = 1024");
  }
  return mb;
}

// The ssm transport reaches a host by its instance id: a static host must carry one.
void check_instance_ids(const ConfigTable& root, const std::vector<core::Host>& hosts) {
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    const auto id = transport::instance_id_of(hosts[i]);
    if (transport::is_instance_id(id)) continue;
    const auto* entry = root.toml_table().get("hosts")->as_array()->get(i)->as_table();
    ConfigTable table(*entry, root.file(), fmt::format("hosts[{}]", i));
    table.fail("address", fmt::format("'{}' is not an EC2 instance id", core::printable(id)),
               "with transport = \"ssm\" give each host its instance id: address = "
               "\"i-0123456789abcdef0\"");
  }
}

std::vector<core::Host> read_fleet_hosts(const ConfigTable& root, const std::string& fleet_name,
                                         const AwsSettings& aws, TransportKind transport,
                                         const ConfigOverrides& overrides) {
  std::vector<core::Host> hosts;
  // With discovery the [[hosts]] list is optional; without it read_hosts says it is missing.
  if (aws.discover == Discovery::none || root.find("hosts")) hosts = read_hosts(root);
  if (transport == TransportKind::ssm) check_instance_ids(root, hosts);
  if (aws.discover == Discovery::ssm) {
    if (!overrides.discover) {
      throw core::InputError(root.file() + ": fleet.discover", "this command cannot discover hosts",
                             "list the hosts as [[hosts]] instead");
    }
    auto found = overrides.discover(aws, fleet_name);
    hosts.insert(hosts.end(), std::make_move_iterator(found.begin()),
                 std::make_move_iterator(found.end()));
    if (hosts.empty()) {
      throw core::InputError(
          root.file() + ": aws.tag",
          fmt::format("no running instance carries the tag {}={}", core::printable(aws.tag.key),
                      core::printable(aws.tag.value)),
          "tag the fleet's instances with it, or set [aws] tag to the tag they carry");
    }
  }
  return hosts;
}

DroverConfig read_config(const ConfigTable& root, const ConfigOverrides& overrides) {
  root.allow_only({"fleet", "speeds", "container", "hosts", "ssh", "aws", "notify"});
  auto fleet = root.table("fleet", kFleetTable);
  if (!fleet) {
    root.fail("fleet", "is missing: [fleet] with name and image is required",
              "start the file with [fleet], name = \"tradebot\" and image = \"repo/name\"");
  }
  fleet->allow_only({"name", "transport", "image", "default_tag", "agent_path", "login_probe",
                     "disk_floor_mb", "region", "discover"});
  auto name = read_fleet_name(*fleet);
  auto aws = read_aws_settings(*fleet, root.table("aws", kAws), name);
  if (overrides.region) aws.region_flag = overrides.region;
  if (overrides.profile) aws.profile = overrides.profile;
  // Discovered hosts are reached by instance id: discovery implies the ssm transport.
  auto transport = aws.discover == Discovery::ssm && !fleet->find("transport")
                       ? TransportKind::ssm
                       : read_transport(*fleet);
  if (aws.discover == Discovery::ssm && transport != TransportKind::ssm) {
    fleet->fail("discover",
                "discover = \"ssm\" finds EC2 instances, which only the ssm transport "
                "reaches",
                "set transport = \"ssm\" or remove discover");
  }
  auto repository = read_repository(*fleet);
  auto default_tag = read_default_tag(*fleet, repository);
  auto agent_path = read_agent_path(*fleet);
  auto login_probe = read_login_probe(*fleet);
  auto disk_floor = read_disk_floor(*fleet);
  auto speeds = read_speed_table(root.table("speeds", kSpeeds));
  auto container = read_container_template(root.table("container", kContainer));
  auto ssh = read_ssh_settings(root.table("ssh", kSsh), transport == TransportKind::ssh);
  auto notify = read_notify_settings(root.table("notify", kNotify));
  auto hosts = read_fleet_hosts(root, name, aws, transport, overrides);
  if (transport == TransportKind::ssh) {
    check_ssh_addresses(root, hosts);
  }
  try {
    return DroverConfig{
        .source = root.file(),
        .fleet = core::Fleet(std::move(name), std::move(hosts)),
        .transport = transport,
        .image_repository = std::move(repository),
        .default_tag = std::move(default_tag),
        .agent_path = std::move(agent_path),
        .login_probe = std::move(login_probe),
        .disk_floor_mb = disk_floor,
        .speeds = speeds,
        .container_template = std::move(container),
        .ssh = std::move(ssh),
        .aws = std::move(aws),
        .notify = std::move(notify),
    };
  } catch (const core::InputError& e) {
    // read_hosts has already applied every rule the fleet checks, each at its own line; this
    // keeps the file's name on the message should the fleet ever learn a new one.
    throw core::InputError(root.file() + ": " + e.where(), e.problem(), e.fix());
  }
}

}  // namespace

std::string_view to_string(TransportKind kind) {
  return core::name_of(kTransportKindNames, kind);
}

DroverConfig parse_config(std::string_view text, const std::string& source,
                          const ConfigOverrides& overrides) {
  if (const auto deep = find_too_deep_nesting(text)) {
    // Before toml++ sees it: its parser recurses once per level and runs out of stack.
    config_error({source, deep->line, ""},
                 fmt::format("nests deeper than {} levels (table header parts, dotted key parts, "
                             "lists and inline tables together)",
                             kMaxTomlDepth),
                 "drover.toml needs a few levels ([speeds.routine], [container.labels]): "
                 "check that this is the file you meant");
  }
  toml::table document;
  try {
    document = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    config_error({source, e.source().begin.line, ""},
                 fmt::format("not valid TOML: {}", core::printable(e.description())),
                 "fix the syntax on that line (strings in double quotes, lists in [ ], one "
                 "key = value per line; see https://toml.io)");
  }
  return read_config(ConfigTable(document, source, ""), overrides);
}

DroverConfig load_config_file(const std::string& path, const ConfigOverrides& overrides) {
  std::optional<std::string> text;
  try {
    text = read_file_at_most(path, kMaxConfigBytes);
  } catch (const FileReadError& e) {
    throw core::InputError(core::printable(path), e.problem(),
                           e.error() == 0
                               ? "drover.toml is a few KB: check that this is the file you meant"
                               : "check the path and its permissions");
  }
  if (!text) {
    throw core::InputError(core::printable(path), "cannot be read: No such file or directory",
                           "check the path and its permissions");
  }
  return parse_config(*text, path, overrides);
}

DroverConfig load_config(const std::optional<std::string>& config_flag,
                         const ConfigOverrides& overrides) {
  return load_config_file(locate_config(config_flag).path, overrides);
}

}  // namespace drover::cli
