#include "transport/ssm/ssm_command.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/agent_request.h"
#include "util/shell_quote.h"

namespace drover::transport {
namespace {

constexpr std::size_t kMaxComment = 100;

}  // namespace

nlohmann::json send_command_input(const std::vector<std::string>& instance_ids,
                                  const std::vector<std::string>& script_lines,
                                  std::chrono::seconds timeout, const std::string& comment) {
  const auto delivery = std::max(timeout, kMinDeliveryTimeout);
  return {
      {"InstanceIds", instance_ids},
      {"DocumentName", "AWS-RunShellScript"},
      {"TimeoutSeconds", delivery.count()},
      {"Comment", comment.substr(0, kMaxComment)},
      {"Parameters",
       {{"commands", script_lines}, {"executionTimeout", {std::to_string(timeout.count())}}}},
  };
}

std::string agent_command_line(const std::string& agent_path,
                               const std::vector<std::string>& args) {
  std::vector<std::string> argv;
  argv.reserve(args.size() + 1);
  argv.push_back(agent_path);
  argv.insert(argv.end(), args.begin(), args.end());
  return shell_command(argv);
}

std::vector<std::string> install_agent_script(const std::string& url, const std::string& sha256,
                                              const std::string& agent_path) {
  const auto target = shell_quote(agent_path);
  // Beside the target, so the final rename stays on one filesystem and is atomic.
  const auto staged = shell_quote(agent_path + ".drover-new");
  const auto dir = shell_quote(agent_path.substr(0, agent_path.find_last_of('/') + 1));
  const auto quoted_url = shell_quote(url);
  const auto expected = shell_quote(sha256);
  return {
      fmt::format("mkdir -p {} || exit {}", dir, kInstallCannotReplace),
      fmt::format("rm -f {}", staged),
      "if command -v curl >/dev/null 2>&1; then",
      fmt::format("  curl -fsSL --retry 3 -o {} {} || {{ echo \"drover: curl could not download "
                  "the agent\" >&2; rm -f {}; exit {}; }}",
                  staged, quoted_url, staged, kInstallDownloadFailed),
      "elif command -v wget >/dev/null 2>&1; then",
      fmt::format("  wget -q -O {} {} || {{ echo \"drover: wget could not download the agent\" "
                  ">&2; rm -f {}; exit {}; }}",
                  staged, quoted_url, staged, kInstallDownloadFailed),
      "else",
      fmt::format("  echo \"drover: neither curl nor wget is installed on this host\" >&2; exit {}",
                  kInstallNoDownloader),
      "fi",
      fmt::format("got=$(sha256sum {} | cut -d ' ' -f 1)", staged),
      fmt::format("if [ \"$got\" != {} ]; then", expected),
      fmt::format("  echo \"drover: the downloaded agent has sha256 $got, not \"{}\"; nothing was "
                  "replaced\" >&2",
                  expected),
      fmt::format("  rm -f {}; exit {}", staged, kInstallChecksumMismatch),
      "fi",
      fmt::format("chmod 0755 {} && mv -f {} {} || {{ echo \"drover: cannot install the agent "
                  "at \"{} >&2; rm -f {}; exit {}; }}",
                  staged, staged, target, target, staged, kInstallCannotReplace),
      fmt::format("exec {} {}", target, shell_command(core::agent_argv(core::VersionRequest{}))),
  };
}

}  // namespace drover::transport
