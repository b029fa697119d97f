#pragma once
// A ProcessRunner for transport unit tests: records every command it is asked to run and
// answers each with the next scripted result (the last one repeats), or refuses to start the
// program like PosixProcessRunner does for a missing binary.
#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "util/subprocess.h"

namespace drover::testing {

class RecordingRunner final : public ProcessRunner {
 public:
  struct Call {
    std::vector<std::string> argv;
    ProcessOptions options;
  };

  std::vector<ProcessResult> answers{ProcessResult{}};
  bool cannot_start = false;
  bool out_of_descriptors = false;  // throws ResourceExhausted, as at EMFILE

  ProcessResult run(const std::vector<std::string>& argv, const ProcessOptions& options) override {
    std::lock_guard lock(mutex_);
    calls_.push_back({argv, options});
    if (out_of_descriptors) throw ResourceExhausted("pipe: Too many open files");
    if (cannot_start) {
      throw std::runtime_error("cannot run " + argv[0] + ": No such file or directory");
    }
    const auto index = std::min(next_++, answers.size() - 1);
    return answers[index];
  }

  std::vector<Call> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Call> calls_;
  std::size_t next_ = 0;
};

}  // namespace drover::testing
