#pragma once
// Running another program, as an interface. Arguments always travel as argv: nothing
// here goes through a shell, so nothing user-supplied can be interpreted by one.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace drover {

struct ProcessResult {
  int exit_code = -1;      // the program's exit status; -1 when killed by a signal
  int signal = 0;          // the signal that ended it, 0 if it exited
  bool timed_out = false;  // killed by us after the timeout
  std::string out;         // everything it wrote to stdout
  std::string err;         // everything it wrote to stderr
};

struct ProcessOptions {
  std::optional<std::chrono::milliseconds> timeout;  // SIGKILL after this long
  std::map<std::string, std::string> extra_env;      // added to (or replacing in) our env
  std::string stdin_data;                            // written to its stdin, then closed
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  /// Runs argv[0] (searched in PATH) to completion. Throws std::runtime_error only when
  /// the program cannot be started at all (argv empty, not found, not executable).
  virtual ProcessResult run(const std::vector<std::string>& argv,
                            const ProcessOptions& options = {}) = 0;
};

/// The real side: posix_spawnp with pipes, no shell.
class PosixProcessRunner final : public ProcessRunner {
 public:
  ProcessResult run(const std::vector<std::string>& argv,
                    const ProcessOptions& options = {}) override;
};

}  // namespace drover
