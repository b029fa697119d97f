#pragma once
// The SendCommand requests drover makes: the agent's argv as one shell command line (through
// shell_command, the one quoting function), and the install-by-URL script. Pure: tested with
// hostile arguments without any AWS.
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace drover::transport {

/// SendCommand's TimeoutSeconds is the time SSM may take to deliver the command; the API
/// refuses less than this.
inline constexpr std::chrono::seconds kMinDeliveryTimeout{30};

/// Exit codes of the install script's own steps (the agent's are 0-3, a shell's 126/127).
inline constexpr int kInstallNoDownloader = 90;
inline constexpr int kInstallDownloadFailed = 91;
inline constexpr int kInstallChecksumMismatch = 92;
inline constexpr int kInstallCannotReplace = 93;

/// The SendCommand input that runs `script_lines` on `instance_ids` (at most 50) with
/// AWS-RunShellScript:
/// executionTimeout = `timeout` (SSM stops the script then), TimeoutSeconds = max(30 s,
/// `timeout`) to deliver it, and `comment` (cut to the API's 100 characters).
nlohmann::json send_command_input(const std::vector<std::string>& instance_ids,
                                  const std::vector<std::string>& script_lines,
                                  std::chrono::seconds timeout, const std::string& comment);

/// The one command line that runs the agent: shell_command({agent_path, args...}).
std::string agent_command_line(const std::string& agent_path, const std::vector<std::string>& args);

/// The script that downloads the agent from `url` (curl, else wget) next to `agent_path`,
/// checks its sha256 against `sha256` before anything is replaced, renames it over
/// `agent_path` (atomic on one filesystem) and runs `agent_path version`. Every variable part
/// is shell_quote'd. Exits with the kInstall* codes when a step fails, saying why on stderr.
std::vector<std::string> install_agent_script(const std::string& url, const std::string& sha256,
                                              const std::string& agent_path);

}  // namespace drover::transport
