#pragma once
// Running another program, as an interface. Arguments always travel as argv: nothing
// here goes through a shell, so nothing user-supplied can be interpreted by one.
//
// A run is bounded however the program behaves: it ends when the program itself exits (what
// it wrote before is kept; a child it left behind holding stdout cannot hold the call open),
// when the timeout passes, or when it writes more than max_output_bytes to stdout or stderr
// (then its process group is killed). No program drover runs is trusted to stop talking.
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace drover {

struct ProcessResult {
  int exit_code = -1;      // the program's exit status; -1 when killed by a signal
  int signal = 0;          // the signal that ended it, 0 if it exited
  bool timed_out = false;  // killed by us after the timeout
  std::string out;         // everything it wrote to stdout (at most max_output_bytes)
  std::string err;         // everything it wrote to stderr (at most max_output_bytes)
  /// "stdout" or "stderr" when the program was killed for writing more than
  /// ProcessOptions::max_output_bytes there; empty otherwise.
  std::string overflowed;
};

/// What a run keeps of each output stream unless told otherwise.
inline constexpr std::size_t kDefaultMaxOutputBytes = std::size_t{16} << 20;

struct ProcessOptions {
  std::optional<std::chrono::milliseconds> timeout;  // SIGKILL after this long
  std::map<std::string, std::string> extra_env;      // added to (or replacing in) our env
  std::string stdin_data;                            // written to its stdin, then closed
  /// Past this many bytes on stdout or on stderr the program's process group is killed.
  std::size_t max_output_bytes = kDefaultMaxOutputBytes;
  /// When set, called with each line the program writes to stderr (without its newline) as
  /// soon as the line is complete, from the thread that called run(); a last line without a
  /// newline is passed once the program ended. Only what is kept (max_output_bytes) is passed.
  /// Lets a caller show a long-running program's progress while it runs.
  std::function<void(std::string_view line)> on_stderr_line{};
};

/// What run() throws when THIS process ran out of what it takes to start a program: file
/// descriptors (EMFILE, ENFILE), memory (ENOMEM) or processes (EAGAIN). Not the program's
/// fault, nor the host's: callers report it as drover's own shortage.
class ResourceExhausted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  /// Runs argv[0] (searched in PATH) until it exits, times out or says too much (see
  /// above). Throws std::runtime_error only when the program cannot be started at all (argv
  /// empty, not found, not executable); ResourceExhausted when drover itself is out of
  /// descriptors, memory or processes.
  virtual ProcessResult run(const std::vector<std::string>& argv,
                            const ProcessOptions& options = {}) = 0;
};

/// The real side: posix_spawnp with pipes, no shell; the program's exit is watched through a
/// pidfd (polling waitpid on kernels without one).
class PosixProcessRunner final : public ProcessRunner {
 public:
  ProcessResult run(const std::vector<std::string>& argv,
                    const ProcessOptions& options = {}) override;
};

}  // namespace drover
