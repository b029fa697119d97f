#include "util/bounded_read.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <fstream>

#include "support/temp_dir.h"

namespace drover {
namespace {

TEST(BoundedRead, ReadsAFileWholeUpToTheLimit) {
  testing::TempDir dir;
  const auto path = dir.path() / "small";
  std::ofstream(path) << std::string(1000, 'x');
  EXPECT_EQ(read_file_at_most(path, 1000), std::string(1000, 'x'));
  EXPECT_EQ(read_file_at_most(path, 1000, FileKind::regular), std::string(1000, 'x'));
  EXPECT_EQ(read_file_at_most(dir.path() / "missing", 10), std::nullopt);
}

TEST(BoundedRead, ALargerFileIsRefusedBeforeItIsRead) {
  testing::TempDir dir;
  const auto path = dir.path() / "big";
  std::ofstream(path) << std::string(1001, 'x');
  try {
    read_file_at_most(path, 1000);
    FAIL();
  } catch (const FileReadError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_EQ(e.error(), 0);
    EXPECT_EQ(e.problem(), "is larger than 1000 bytes");
  }
}

TEST(BoundedRead, AnEndlessFileStopsAtTheLimit) {
  try {
    read_file_at_most("/dev/zero", std::size_t{1} << 20);
    FAIL();
  } catch (const FileReadError& e) {
    EXPECT_EQ(e.problem(), "is larger than 1 MiB");
  }
}

TEST(BoundedRead, OnlyRegularFilesWhenAsked) {
  try {
    read_file_at_most("/dev/zero", 1000, FileKind::regular);
    FAIL();
  } catch (const FileReadError& e) {
    EXPECT_EQ(e.problem(), "is not a regular file");
  }
  testing::TempDir dir;
  try {
    read_file_at_most(dir.path(), 1000, FileKind::regular);
    FAIL();
  } catch (const FileReadError& e) {
    EXPECT_EQ(e.problem(), "is not a regular file");
  }
}

TEST(BoundedRead, SizesAreNamedAsMessagesSayThem) {
  EXPECT_EQ(byte_size_text(std::size_t{64} << 20), "64 MiB");
  EXPECT_EQ(byte_size_text(std::size_t{64} << 10), "64 KiB");
  EXPECT_EQ(byte_size_text(300), "300 bytes");
}

}  // namespace
}  // namespace drover
