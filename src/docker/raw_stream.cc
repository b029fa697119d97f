#include "docker/raw_stream.h"

namespace drover::docker {
namespace {

constexpr std::size_t kHeaderSize = 8;

}  // namespace

void RawStreamDemuxer::feed(std::string_view bytes) {
  pending_.append(bytes);
  // Walk with an offset and erase once at the end: erasing per frame would be quadratic
  // when one read brings thousands of short log lines.
  std::size_t at = 0;
  while (pending_.size() - at >= kHeaderSize) {
    const auto* header = reinterpret_cast<const unsigned char*>(pending_.data() + at);
    if (header[0] > 3 || header[1] != 0 || header[2] != 0 || header[3] != 0) {
      throw RawStreamError("malformed log stream: bad frame header at byte offset " +
                           std::to_string(at));
    }
    const std::size_t size = (std::size_t{header[4]} << 24) | (std::size_t{header[5]} << 16) |
                             (std::size_t{header[6]} << 8) | std::size_t{header[7]};
    if (pending_.size() - at - kHeaderSize < size) break;
    sink_(static_cast<StreamKind>(header[0]),
          std::string_view(pending_).substr(at + kHeaderSize, size));
    at += kHeaderSize + size;
  }
  pending_.erase(0, at);
}

void RawStreamDemuxer::finish() const {
  if (!pending_.empty()) {
    throw RawStreamError("malformed log stream: it ended inside a frame (" +
                         std::to_string(pending_.size()) + " bytes left over)");
  }
}

void LineAssembler::add(StreamKind kind, std::string_view text) {
  auto& partial = partial_[static_cast<std::size_t>(kind)];
  for (;;) {
    const auto newline = text.find('\n');
    if (newline == std::string_view::npos) break;
    partial.append(text.substr(0, newline));
    complete(std::move(partial));
    partial.clear();
    text.remove_prefix(newline + 1);
  }
  partial.append(text);
}

std::vector<std::string> LineAssembler::finish() {
  for (auto kind : {StreamKind::kStdout, StreamKind::kStderr, StreamKind::kStdin}) {
    auto& partial = partial_[static_cast<std::size_t>(kind)];
    if (!partial.empty()) complete(std::move(partial));
    partial.clear();
  }
  auto lines = std::move(lines_);
  lines_.clear();
  return lines;
}

void LineAssembler::complete(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  lines_.push_back(std::move(line));
}

}  // namespace drover::docker
