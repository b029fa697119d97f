#include "transport/ssh/ssh_install.h"

#include <fmt/format.h>

#include "core/agent_request.h"
#include "util/shell_quote.h"

namespace drover::transport {
namespace {

std::string directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string sh(const std::string& script) {
  return shell_command({"/bin/sh", "-c", script});
}

}  // namespace

std::string staged_agent_path(const std::string& agent_path) {
  return agent_path + ".drover-new";
}

std::string stage_agent_command(const std::string& agent_path) {
  const auto staged = shell_quote(staged_agent_path(agent_path));
  // A failed write leaves no partial file behind, and says so with its own exit status so
  // drover can tell "could not write" from "the staged binary does not run".
  return sh(
      fmt::format("umask 022 && mkdir -p {dir} && cat > {staged} && chmod 755 {staged} || "
                  "{{ echo cannot write {staged} >&2; rm -f {staged}; exit {code}; }}\n"
                  "exec {staged} {version}",
                  fmt::arg("dir", shell_quote(directory_of(agent_path))),
                  fmt::arg("staged", staged), fmt::arg("code", kStageWriteFailed),
                  fmt::arg("version", shell_command(core::agent_argv(core::VersionRequest{})))));
}

std::string commit_agent_command(const std::string& agent_path) {
  return sh(fmt::format("mv -f {} {}", shell_quote(staged_agent_path(agent_path)),
                        shell_quote(agent_path)));
}

std::string discard_agent_command(const std::string& agent_path) {
  return sh(fmt::format("rm -f {}", shell_quote(staged_agent_path(agent_path))));
}

}  // namespace drover::transport
