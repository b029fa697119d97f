#include "util/sha256.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace drover {
namespace {

// FIPS 180-2 test vectors.
TEST(Sha256, MatchesPublishedVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, HashesFilesLargerThanOneChunk) {
  std::string data(200000, 'x');
  auto path = ::testing::TempDir() + "/sha256_test.bin";
  std::ofstream(path, std::ios::binary) << data;
  EXPECT_EQ(sha256_file_hex(path), sha256_hex(data));
  std::remove(path.c_str());
  EXPECT_THROW(sha256_file_hex(path), std::runtime_error);
}

}  // namespace
}  // namespace drover
