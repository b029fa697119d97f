#include <gtest/gtest.h>

#include <utility>

#include "docker/raw_stream.h"

namespace drover::docker {
namespace {

std::string frame(StreamKind kind, std::string_view payload) {
  std::string out(8, '\0');
  out[0] = static_cast<char>(kind);
  const auto size = static_cast<std::uint32_t>(payload.size());
  out[4] = static_cast<char>(size >> 24);
  out[5] = static_cast<char>(size >> 16);
  out[6] = static_cast<char>(size >> 8);
  out[7] = static_cast<char>(size);
  out.append(payload);
  return out;
}

using Frames = std::vector<std::pair<StreamKind, std::string>>;

Frames demux_in_pieces(const std::string& stream, std::size_t piece) {
  Frames frames;
  RawStreamDemuxer demuxer([&](StreamKind kind, std::string_view payload) {
    frames.emplace_back(kind, std::string(payload));
  });
  for (std::size_t at = 0; at < stream.size(); at += piece) {
    demuxer.feed(std::string_view(stream).substr(at, piece));
  }
  demuxer.finish();
  return frames;
}

TEST(DockerRawStream, DemultiplexesInterleavedStdoutAndStderr) {
  const auto stream = frame(StreamKind::kStdout, "hello\n") + frame(StreamKind::kStderr, "oops\n") +
                      frame(StreamKind::kStdout, "") + frame(StreamKind::kStdout, "bye\n");
  const Frames expected = {{StreamKind::kStdout, "hello\n"},
                           {StreamKind::kStderr, "oops\n"},
                           {StreamKind::kStdout, ""},
                           {StreamKind::kStdout, "bye\n"}};
  EXPECT_EQ(demux_in_pieces(stream, stream.size()), expected);
}

TEST(DockerRawStream, FramesSplitAcrossReadsAtEveryOffset) {
  const std::string big(70000, 'x');  // a size with all of its low three bytes in use
  const auto stream = frame(StreamKind::kStdout, "first line\n") + frame(StreamKind::kStderr, big) +
                      frame(StreamKind::kStdout, "last\n");
  for (std::size_t piece : {1u, 2u, 3u, 7u, 8u, 9u, 4096u}) {
    SCOPED_TRACE(piece);
    const auto frames = demux_in_pieces(stream, piece);
    ASSERT_EQ(frames.size(), 3u);
    EXPECT_EQ(frames[0].second, "first line\n");
    EXPECT_EQ(frames[1].first, StreamKind::kStderr);
    EXPECT_EQ(frames[1].second, big);
    EXPECT_EQ(frames[2].second, "last\n");
  }
}

TEST(DockerRawStream, RejectsABadHeaderAndATruncatedStream) {
  RawStreamDemuxer bad_header([](StreamKind, std::string_view) {});
  EXPECT_THROW(bad_header.feed("hello world\n"), RawStreamError);

  RawStreamDemuxer truncated([](StreamKind, std::string_view) {});
  truncated.feed(frame(StreamKind::kStdout, "complete\n").substr(0, 12));
  EXPECT_THROW(truncated.finish(), RawStreamError);
}

TEST(DockerRawStream, PassesSystemErrorFramesThrough) {
  const auto frames = demux_in_pieces(frame(StreamKind::kSystemError, "log driver failed"), 5);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].first, StreamKind::kSystemError);
}

TEST(DockerLineAssembler, KeepsAPartialLinePerStream) {
  LineAssembler lines;
  lines.add(StreamKind::kStdout, "a long std");
  lines.add(StreamKind::kStderr, "err 1\nerr 2\n");
  lines.add(StreamKind::kStdout, "out line\nsecond\r\n");
  lines.add(StreamKind::kStdout, "unterminated");
  const std::vector<std::string> expected = {"err 1", "err 2", "a long stdout line", "second",
                                             "unterminated"};
  EXPECT_EQ(lines.finish(), expected);
}

TEST(DockerLineAssembler, KeepsEmptyLines) {
  LineAssembler lines;
  lines.add(StreamKind::kStdout, "\n\nx\n");
  const std::vector<std::string> expected = {"", "", "x"};
  EXPECT_EQ(lines.finish(), expected);
}

}  // namespace
}  // namespace drover::docker
