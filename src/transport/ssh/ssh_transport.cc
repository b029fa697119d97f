#include "transport/ssh/ssh_transport.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "core/agent_request.h"
#include "transport/agent_output.h"
#include "transport/report_reader.h"
#include "transport/ssh/ssh_command.h"
#include "transport/ssh/ssh_install.h"
#include "transport/ssh/ssh_result.h"
#include "util/shell_quote.h"

namespace drover::transport {
namespace {

namespace fs = std::filesystem;

constexpr std::chrono::seconds kInstallTimeout{300};
constexpr std::chrono::seconds kSmallCommandTimeout{60};
constexpr std::chrono::seconds kControlExitTimeout{10};

// mkdtemp makes the directory 0700: only this user can reach the control sockets, which
// carry authenticated sessions to every host.
std::string make_control_dir() {
  std::string pattern = (fs::temp_directory_path() / "drover-ssh-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error(fmt::format("cannot create the ssh control directory {}: {}", pattern,
                                         std::strerror(errno)));
  }
  return pattern;
}

core::AgentResult install_failed(const core::Host& host, core::AgentResult result,
                                 std::string why) {
  result.status = core::TransportStatus::agent_failed;
  result.detail = fmt::format(
      "installing the agent on {} failed: {}; the agent there was not "
      "replaced",
      host.name, why);
  return result;
}

// A captured stderr as one line for a detail.
std::string one_line(std::string text, const std::string& if_empty) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text.empty() ? if_empty : text;
}

}  // namespace

SshTransport::SshTransport(SshSettings settings, std::string agent_path, ProcessRunner& runner)
    : settings_(std::move(settings)),
      agent_path_(std::move(agent_path)),
      runner_(runner),
      control_dir_(make_control_dir()) {}

SshTransport::~SshTransport() {
  for (const auto& address : contacted_) {
    try {
      ProcessOptions options;
      options.timeout = kControlExitTimeout;
      runner_.run(ssh_control_exit_argv(settings_, control_dir_, address), options);
    } catch (const std::exception&) {
      // ssh vanished since it last ran: its masters went with nothing to close.
    }
  }
  std::error_code ignored;
  fs::remove_all(control_dir_, ignored);
}

core::AgentResult SshTransport::run_remote(const core::Host& host,
                                           const std::string& remote_command,
                                           std::chrono::seconds timeout,
                                           const std::string& stdin_data,
                                           std::function<void(std::string_view)> on_stderr_line) {
  SshCallSite site{host.name, {}, agent_path_};
  const std::string& text = host.address ? *host.address : host.name;
  try {
    site.address = parse_ssh_address(text);
  } catch (const std::invalid_argument& e) {
    // The config refuses such addresses at load; a Host built elsewhere can still carry one.
    core::AgentResult result;
    result.status = core::TransportStatus::unreachable;
    result.detail = fmt::format("{}: '{}' is not an ssh address ({}); {}", host.name, text,
                                e.what(), kSshAddressForms);
    return result;
  }
  {
    std::lock_guard lock(mutex_);
    if (std::find(contacted_.begin(), contacted_.end(), site.address) == contacted_.end()) {
      contacted_.push_back(site.address);
    }
  }
  ProcessOptions options;
  options.timeout = timeout;
  options.stdin_data = stdin_data;
  options.max_output_bytes = kAgentOutputLimit;
  options.on_stderr_line = std::move(on_stderr_line);
  ProcessResult process;
  try {
    process = runner_.run(ssh_argv(settings_, control_dir_, site.address, remote_command), options);
  } catch (const ResourceExhausted& e) {
    return out_of_resources("ssh to reach " + host.name, e);
  } catch (const std::exception& e) {
    // No ssh client on this machine: nothing reached the host.
    core::AgentResult result;
    result.status = core::TransportStatus::unreachable;
    result.detail = fmt::format("cannot run ssh to reach {}: {} (install the OpenSSH client)",
                                host.name, e.what());
    return result;
  }
  return interpret_ssh_process(process, timeout, site);
}

core::AgentResult SshTransport::run_agent(const core::Host& host, const core::AgentCall& call) {
  if (call.timeout.count() <= 0) {
    throw std::invalid_argument(
        fmt::format("agent call for {} has a non-positive timeout", host.name));
  }
  std::vector<std::string> argv{agent_path_};
  argv.insert(argv.end(), call.args.begin(), call.args.end());
  return run_remote(host, shell_command(argv), call.timeout, {}, agent_step_reader(call));
}

core::AgentResult SshTransport::install_agent(const core::Host& host,
                                              const core::AgentBinary& binary) {
  std::ifstream in(binary.local_path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in || bytes.str().empty()) {
    core::AgentResult result;
    return install_failed(host, result,
                          fmt::format("cannot read {} on this machine", binary.local_path));
  }
  auto staged = run_remote(host, stage_agent_command(agent_path_), kInstallTimeout, bytes.str());
  if (staged.status == core::TransportStatus::unreachable) {
    return staged;  // nothing reached the host, nothing to clean up
  }
  std::string why;
  if (staged.exit_code == kStageWriteFailed) {
    why = fmt::format("cannot write {}: {}", staged_agent_path(agent_path_),
                      one_line(staged.stderr_tail, "no message"));
  } else if (!staged.ok()) {
    why = fmt::format("the staged agent {} did not run: {}", staged_agent_path(agent_path_),
                      staged.detail);
  } else if (const auto sha256 = read_version_report_line(staged.report_line).sha256;
             sha256 != binary.sha256) {
    why = fmt::format(
        "the staged agent {} is not the build drover carries (sha256 {}, "
        "expected {})",
        staged_agent_path(agent_path_), sha256.empty() ? "none" : sha256, binary.sha256);
  }
  if (!why.empty()) {
    run_remote(host, discard_agent_command(agent_path_), kSmallCommandTimeout);
    return install_failed(host, std::move(staged), why);
  }
  auto committed = run_remote(host, commit_agent_command(agent_path_), kSmallCommandTimeout);
  if (committed.exit_code != 0) {
    why = fmt::format("cannot rename it over {}: {}", agent_path_,
                      one_line(committed.stderr_tail, committed.detail));
    run_remote(host, discard_agent_command(agent_path_), kSmallCommandTimeout);
    return install_failed(host, std::move(committed), why);
  }
  return run_agent(host, {core::agent_argv(core::VersionRequest{}), std::chrono::seconds(30)});
}

}  // namespace drover::transport
