#pragma once
// The remote scripts that put a new drover-agent on a host over ssh, all at once: the binary
// arrives on stdin and is written beside the agent path as <path>.drover-new, run once
// (`version`, whose report carries the sha256 of the file that ran), and only when that is the
// build drover carries renamed over the path (rename(2) is atomic: the path always holds a
// whole agent, old or new). Each is one shell_command for the remote login shell, running
// `/bin/sh -c <script>` with every path shell_quote'd.
#include <string>

namespace drover::transport {

/// The exit status of the staging script when it could not write the staged file.
inline constexpr int kStageWriteFailed = 70;

/// Writes stdin to <agent_path>.drover-new (umask 022, its directory created), then execs it
/// with `version`.
std::string stage_agent_command(const std::string& agent_path);
/// Renames <agent_path>.drover-new over agent_path.
std::string commit_agent_command(const std::string& agent_path);
/// Removes <agent_path>.drover-new.
std::string discard_agent_command(const std::string& agent_path);

/// "<agent_path>.drover-new".
std::string staged_agent_path(const std::string& agent_path);

}  // namespace drover::transport
