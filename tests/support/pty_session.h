#pragma once
// A program running while the test talks to it: on a real pseudo-terminal (forkpty), so the
// program sees a TTY on stdin, stdout and stderr and prompts as it would for an operator; or
// on plain pipes (stdout and stderr merged, stdin /dev/null), for a program that must not see
// a TTY but has to be watched while it runs (e.g. to interrupt it at a chosen point).
// Timeouts here are safety nets against a hung program, never the thing a test asserts.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace drover::testing {

class LiveProcess {
 public:
  enum class Mode { pty, pipes };

  /// Starts argv[0] (an absolute path) with `extra_env` added to this process's environment.
  /// On a pty the terminal is `columns` wide (wide enough by default that no line wraps).
  /// Throws std::runtime_error when it cannot be started.
  LiveProcess(Mode mode, const std::vector<std::string>& argv,
              const std::map<std::string, std::string>& extra_env = {},
              unsigned short columns = 250);
  /// Kills (SIGKILL) and reaps the program if it is still running.
  ~LiveProcess();
  LiveProcess(const LiveProcess&) = delete;
  LiveProcess& operator=(const LiveProcess&) = delete;

  /// Reads output until `text` appears after the previous match (true), or the program's
  /// output ends or `timeout` passes (false). A match moves the search start past it.
  bool wait_for(std::string_view text,
                std::chrono::milliseconds timeout = std::chrono::seconds(120));
  /// Types `line` and Enter (pty mode only).
  void send_line(std::string_view line);
  /// Sends `signal` to the program (not to its process group).
  void send_signal(int signal);
  /// Closes the terminal (pty mode): the kernel hangs it up and sends SIGHUP to the program,
  /// whose writes to it fail from then on, as when an operator's ssh session drops. Its
  /// output after this is lost.
  void hang_up();
  /// Reads the rest of the output and reaps the program: its exit code (128 + N when killed
  /// by signal N), or nullopt when it did not end within `timeout`.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout = std::chrono::minutes(5));

  /// Everything the program wrote so far (on a pty: with the echo of what was typed, and
  /// "\r\n" line ends).
  const std::string& output() const { return out_; }
  pid_t pid() const { return pid_; }

 private:
  // Waits up to `budget` for output and appends what is there; false once the output ended.
  bool pump(std::chrono::milliseconds budget);

  pid_t pid_ = -1;
  int fd_ = -1;
  std::string out_;
  std::size_t search_from_ = 0;
  bool eof_ = false;
  std::optional<int> exit_code_;
};

}  // namespace drover::testing
