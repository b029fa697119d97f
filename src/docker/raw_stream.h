#pragma once
// Docker's multiplexed "raw stream" (the body of /containers/{id}/logs and attach when the
// container has no TTY): frames of an 8-byte header [stream type, 0, 0, 0, big-endian
// uint32 payload size] followed by the payload. Decoded incrementally, as bytes arrive,
// so a frame may be split across any number of reads.
#include <array>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace drover::docker {

enum class StreamKind : std::uint8_t { kStdin = 0, kStdout = 1, kStderr = 2, kSystemError = 3 };

/// The stream does not follow the frame format (or ended inside a frame).
class RawStreamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RawStreamDemuxer {
 public:
  /// Called once per complete frame, in stream order.
  using FrameSink = std::function<void(StreamKind kind, std::string_view payload)>;

  explicit RawStreamDemuxer(FrameSink sink) : sink_(std::move(sink)) {}

  /// Consumes the next bytes of the stream. Throws RawStreamError on a malformed header.
  void feed(std::string_view bytes);
  /// Declares the end of the stream. Throws RawStreamError when it ended inside a frame.
  void finish() const;

 private:
  FrameSink sink_;
  std::string pending_;  // an incomplete frame carried over to the next feed()
};

/// Splits stream output into lines. Each stream keeps its own partial line, so a stderr
/// frame arriving in the middle of a long stdout line does not cut that line in two.
/// Lines are listed in the order they were completed; a trailing "\r" is dropped
/// (a TTY ends lines with "\r\n").
class LineAssembler {
 public:
  void add(StreamKind kind, std::string_view text);
  /// The lines so far plus any unterminated last lines (stdout's first, then stderr's).
  std::vector<std::string> finish();

 private:
  void complete(std::string line);

  std::array<std::string, 4> partial_;  // indexed by StreamKind
  std::vector<std::string> lines_;
};

}  // namespace drover::docker
