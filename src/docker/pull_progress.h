#pragma once
// The body of POST /images/create: a stream of JSON progress objects, one per line. The
// engine has already answered HTTP 200 when a failure happens mid-pull, so the failure
// arrives as an object with "error" / "errorDetail" and must be looked for.
#include <optional>
#include <string>
#include <string_view>

namespace drover::docker {

struct PullFailure {
  std::string message;  // errorDetail.message, else error
  int code = 0;         // errorDetail.code when the engine gives one (often a registry status)
};

class PullProgressReader {
 public:
  /// Consumes the next bytes of the stream; objects may be split across calls.
  void feed(std::string_view bytes);
  /// Declares the end of the stream and returns the first failure reported, if any.
  std::optional<PullFailure> finish();

  /// The last "status" line seen (e.g. "Status: Downloaded newer image for ..."), for messages.
  const std::string& last_status() const { return last_status_; }

 private:
  void read_line(std::string_view line);

  std::string pending_;
  std::string last_status_;
  std::optional<PullFailure> failure_;
};

}  // namespace drover::docker
