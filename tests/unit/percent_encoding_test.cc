// The one percent-encoder (util/percent_encoding.h): what every URL drover builds goes through,
// for the Engine API and for SigV4 (whose own suite, aws_sigv4_test.cc, passes through it too).
#include "util/percent_encoding.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace drover {
namespace {

TEST(PercentEncoding, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percent_encode(""), "");
}

TEST(PercentEncoding, EncodesHostileStrings) {
  EXPECT_EQ(percent_encode("../../info"), "..%2F..%2Finfo");
  EXPECT_EQ(percent_encode("a?b=c&d#e"), "a%3Fb%3Dc%26d%23e");
  EXPECT_EQ(percent_encode("100%"), "100%25");
  EXPECT_EQ(percent_encode("a b+c"), "a%20b%2Bc");
  EXPECT_EQ(percent_encode("x\r\nHost: evil"), "x%0D%0AHost%3A%20evil");
  EXPECT_EQ(percent_encode(std::string("nul\0byte", 8)), "nul%00byte");
  EXPECT_EQ(percent_encode("\xC3\xA9\xFF"), "%C3%A9%FF");
  EXPECT_EQ(percent_encode("127.0.0.1:5000/team/bot@sha256:ab"),
            "127.0.0.1%3A5000%2Fteam%2Fbot%40sha256%3Aab");
}

TEST(QueryString, RendersInOrderWithEncodedKeysAndValues) {
  QueryString query;
  EXPECT_TRUE(query.empty());
  EXPECT_EQ(query.str(), "");
  query.add("fromImage", "registry:5000/a/b").add("tag", "v1&x=1").add("k y", "");
  EXPECT_EQ(query.str(), "?fromImage=registry%3A5000%2Fa%2Fb&tag=v1%26x%3D1&k%20y=");
}

TEST(QueryString, EncodesJsonFilters) {
  QueryString query;
  query.add("filters", R"({"dangling":["false"]})");
  EXPECT_EQ(query.str(), "?filters=%7B%22dangling%22%3A%5B%22false%22%5D%7D");
}

TEST(PercentEncoding, KeepsSlashesOnlyWhenAskedForAWholePath) {
  EXPECT_EQ(percent_encode("/a b/c~d/"), "%2Fa%20b%2Fc~d%2F");
  EXPECT_EQ(percent_encode("/a b/c~d/", {.keep_slash = true}), "/a%20b/c~d/");
  EXPECT_EQ(percent_encode("/%20/", {.keep_slash = true}), "/%2520/") << "a '%' is encoded again";
}

TEST(PercentEncoding, DecodesEitherCaseAndKeepsWhatIsNoEscape) {
  EXPECT_EQ(percent_decode("a%20b%2fc%2Fd"), "a b/c/d");
  EXPECT_EQ(percent_decode("%E1%88%B4"), "\xE1\x88\xB4");
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
  EXPECT_EQ(percent_decode("a+b"), "a+b") << "'+' is a space only in HTML forms";
  for (const std::string& raw :
       std::vector<std::string>{"", "plain", "a b&c=d/é", std::string("nul\0", 4)}) {
    EXPECT_EQ(percent_decode(percent_encode(raw)), raw);
  }
}

}  // namespace
}  // namespace drover
