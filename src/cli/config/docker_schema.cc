#include "cli/config/docker_schema.h"

#include "cli/config/suggestion.h"

namespace drover::cli {
namespace {

using K = DockerValueKind;

constexpr std::string_view kRestartPolicyNames[] = {"", "no", "always", "unless-stopped",
                                                    "on-failure"};

constexpr DockerField kRestartPolicy[] = {
    {"Name", K::string, {}, kRestartPolicyNames},
    {"MaximumRetryCount", K::integer},
};

constexpr DockerField kLogConfig[] = {
    {"Type", K::string},
    {"Config", K::string_map},
};

constexpr DockerField kHealthcheck[] = {
    {"Test", K::string_or_strings}, {"Interval", K::integer},    {"Timeout", K::integer},
    {"Retries", K::integer},        {"StartPeriod", K::integer},
};

constexpr DockerField kHostConfig[] = {
    {"CpuShares", K::integer},
    {"Memory", K::integer},
    {"CgroupParent", K::string},
    {"BlkioWeight", K::integer},
    {"BlkioWeightDevice", K::any},
    {"BlkioDeviceReadBps", K::any},
    {"BlkioDeviceWriteBps", K::any},
    {"BlkioDeviceReadIOps", K::any},
    {"BlkioDeviceWriteIOps", K::any},
    {"CpuPeriod", K::integer},
    {"CpuQuota", K::integer},
    {"CpuRealtimePeriod", K::integer},
    {"CpuRealtimeRuntime", K::integer},
    {"CpusetCpus", K::string},
    {"CpusetMems", K::string},
    {"Devices", K::any},
    {"DeviceCgroupRules", K::strings},
    {"DeviceRequests", K::any},
    {"KernelMemoryTCP", K::integer},
    {"MemoryReservation", K::integer},
    {"MemorySwap", K::integer},
    {"MemorySwappiness", K::integer},
    {"NanoCpus", K::integer},
    {"OomKillDisable", K::boolean},
    {"Init", K::boolean},
    {"PidsLimit", K::integer},
    {"Ulimits", K::any},
    {"CpuCount", K::integer},
    {"CpuPercent", K::integer},
    {"IOMaximumIOps", K::integer},
    {"IOMaximumBandwidth", K::integer},
    {"Binds", K::strings},
    {"ContainerIDFile", K::string},
    {"LogConfig", K::object, kLogConfig},
    {"NetworkMode", K::string},
    {"PortBindings", K::any},
    {"RestartPolicy", K::object, kRestartPolicy},
    {"AutoRemove",
     K::refused,
     {},
     {},
     "a bot container that removes itself when it stops leaves nothing to roll back to; "
     "remove AutoRemove"},
    {"VolumeDriver", K::string},
    {"VolumesFrom", K::strings},
    {"Mounts", K::any},
    {"CapAdd", K::strings},
    {"CapDrop", K::strings},
    {"CgroupnsMode", K::string},
    {"Dns", K::strings},
    {"DnsOptions", K::strings},
    {"DnsSearch", K::strings},
    {"ExtraHosts", K::strings},
    {"GroupAdd", K::strings},
    {"IpcMode", K::string},
    {"Cgroup", K::string},
    {"Links", K::strings},
    {"OomScoreAdj", K::integer},
    {"PidMode", K::string},
    {"Privileged", K::boolean},
    {"PublishAllPorts", K::boolean},
    {"ReadonlyRootfs", K::boolean},
    {"SecurityOpt", K::strings},
    {"StorageOpt", K::string_map},
    {"Tmpfs", K::string_map},
    {"UTSMode", K::string},
    {"UsernsMode", K::string},
    {"ShmSize", K::integer},
    {"Sysctls", K::string_map},
    {"Runtime", K::string},
    {"ConsoleSize", K::any},
    {"Isolation", K::string},
    {"MaskedPaths", K::strings},
    {"ReadonlyPaths", K::strings},
    {"KernelMemory", K::integer},
    {"Annotations", K::string_map},
};

constexpr DockerField kCreateBody[] = {
    {"Hostname", K::string},
    {"Domainname", K::string},
    {"User", K::string},
    {"AttachStdin", K::boolean},
    {"AttachStdout", K::boolean},
    {"AttachStderr", K::boolean},
    {"ExposedPorts", K::any},
    {"Tty", K::boolean},
    {"OpenStdin", K::boolean},
    {"StdinOnce", K::boolean},
    {"Env", K::strings},
    {"Cmd", K::string_or_strings},
    {"Healthcheck", K::object, kHealthcheck},
    {"ArgsEscaped", K::boolean},
    {"Image",
     K::refused,
     {},
     {},
     "drover sets the image: the one being deployed, pinned by digest; remove Image"},
    {"Volumes", K::any},
    {"WorkingDir", K::string},
    {"Entrypoint", K::string_or_strings},
    {"NetworkDisabled", K::boolean},
    {"MacAddress", K::string},
    {"OnBuild", K::strings},
    {"Labels", K::string_map},
    {"StopSignal", K::string},
    {"StopTimeout",
     K::refused,
     {},
     {},
     "the graceful stop timeout comes from the deploy speed ([speeds.<name>] stop_timeout)"},
    {"Shell", K::strings},
    {"HostConfig", K::object, kHostConfig},
    {"NetworkingConfig", K::any},
};

}  // namespace

std::span<const DockerField> docker_create_body_fields() {
  return kCreateBody;
}

const DockerField* find_docker_field(std::span<const DockerField> fields, std::string_view key) {
  const std::string folded = folded_word(key);
  for (const auto& field : fields) {
    if (folded_word(field.name) == folded) {
      return &field;
    }
  }
  return nullptr;
}

}  // namespace drover::cli
