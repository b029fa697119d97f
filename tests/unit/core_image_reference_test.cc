#include <gtest/gtest.h>

#include <string>

#include "core/image_reference.h"
#include "core/input_error.h"

namespace drover::core {
namespace {

const std::string kDigest = "sha256:" + std::string(64, 'a');

// The message of the InputError that parsing `text` throws, or "" when it parses.
std::string refusal(const std::string& text) {
  try {
    parse_image_reference(text);
  } catch (const InputError& e) {
    EXPECT_FALSE(e.fix().empty());
    return e.what();
  }
  return "";
}

TEST(CoreImageReference, ParsesRegistryWithPortPathAndTag) {
  const auto ref = parse_image_reference("127.0.0.1:5000/tradebot:v2");
  EXPECT_EQ(ref.domain, "127.0.0.1:5000");
  EXPECT_EQ(ref.path, "tradebot");
  EXPECT_EQ(ref.tag, "v2");
  EXPECT_EQ(ref.digest, "");
  EXPECT_EQ(ref.repository(), "127.0.0.1:5000/tradebot");
  EXPECT_EQ(ref.str(), "127.0.0.1:5000/tradebot:v2");
}

TEST(CoreImageReference, ParsesDigestAndTagTogether) {
  const auto ref = parse_image_reference("registry.example.com/team/bot:v2@" + kDigest);
  EXPECT_EQ(ref.domain, "registry.example.com");
  EXPECT_EQ(ref.path, "team/bot");
  EXPECT_EQ(ref.tag, "v2");
  EXPECT_EQ(ref.digest, kDigest);
  EXPECT_EQ(ref.str(), "registry.example.com/team/bot:v2@" + kDigest);
  EXPECT_EQ(ref.pinned(kDigest), "registry.example.com/team/bot@" + kDigest);
}

TEST(CoreImageReference, FirstComponentIsRegistryOnlyWhenItLooksLikeOne) {
  EXPECT_EQ(parse_image_reference("localhost/bot").domain, "localhost");
  EXPECT_EQ(parse_image_reference("localhost:5000/bot").domain, "localhost:5000");
  EXPECT_EQ(parse_image_reference("[::1]:5000/bot").domain, "[::1]:5000");
  const auto library = parse_image_reference("library/nginx");
  EXPECT_EQ(library.domain, "");
  EXPECT_EQ(library.path, "library/nginx");
  const auto bare = parse_image_reference("nginx");
  EXPECT_EQ(bare.path, "nginx");
  EXPECT_EQ(bare.tag, "");
}

TEST(CoreImageReference, AcceptsEverySeparatorTheGrammarAllows) {
  for (const char* ok : {"a.b/c", "reg.io/a_b", "reg.io/a__b", "reg.io/a-b", "reg.io/a---b",
                         "reg.io/a.b-c_d__e", "reg.io/0/1/2", "my-reg.io:443/x"}) {
    EXPECT_EQ(refusal(ok), "") << ok;
  }
}

TEST(CoreImageReference, RefusesBadSeparators) {
  for (const char* bad : {"reg.io/a..b", "reg.io/a___b", "reg.io/-a", "reg.io/a-", "reg.io/.a",
                          "reg.io/a_", "reg.io/a._b"}) {
    EXPECT_NE(refusal(bad), "") << bad;
  }
}

TEST(CoreImageReference, TagGrammar) {
  EXPECT_EQ(parse_image_reference("bot:V2_rc-1.0").tag, "V2_rc-1.0");
  EXPECT_EQ(parse_image_reference("bot:_x").tag, "_x");
  EXPECT_NE(refusal("bot:.v2"), "");
  EXPECT_NE(refusal("bot:-v2"), "");
  EXPECT_NE(refusal("bot:"), "");
  EXPECT_EQ(refusal("bot:" + std::string(128, 'a')), "");
  EXPECT_NE(refusal("bot:" + std::string(129, 'a')), "");
}

TEST(CoreImageReference, DigestMustBeSha256With64LowercaseHex) {
  EXPECT_NE(refusal("bot@sha256:abc"), "");
  EXPECT_NE(refusal("bot@sha256:" + std::string(64, 'A')), "");
  EXPECT_NE(refusal("bot@sha256:" + std::string(63, 'a') + "g"), "");
  EXPECT_NE(refusal("bot@sha512:" + std::string(64, 'a')), "");
  EXPECT_NE(refusal("bot@" + kDigest + "@" + kDigest), "");
  EXPECT_TRUE(is_sha256_digest(kDigest));
  EXPECT_FALSE(is_sha256_digest(kDigest + "a"));
}

TEST(CoreImageReference, RefusesEmptyWithAHint) {
  const auto message = refusal("");
  EXPECT_NE(message.find("is empty"), std::string::npos) << message;
  EXPECT_NE(message.find("127.0.0.1:5000/tradebot:v2"), std::string::npos) << message;
}

TEST(CoreImageReference, RefusesShellMetacharactersNamingThem) {
  for (char c : std::string(";&|$`'\"<>(){}*?!~#\\")) {
    const std::string text = std::string("reg.io/bot:v2") + c + "rm";
    const auto message = refusal(text);
    EXPECT_NE(message.find(std::string("shell character '") + c + "'"), std::string::npos)
        << text << " → " << message;
  }
  EXPECT_NE(refusal("reg.io/bot:$(reboot)").find("position 12"), std::string::npos);
}

TEST(CoreImageReference, RefusesWhitespaceAndNewlines) {
  EXPECT_NE(refusal("reg.io/bot v2").find("whitespace"), std::string::npos);
  EXPECT_NE(refusal("reg.io/bot\tv2").find("whitespace"), std::string::npos);
  EXPECT_NE(refusal("reg.io/bot:v2\n").find("line break"), std::string::npos);
  EXPECT_NE(refusal("reg.io/bot:v2\rx").find("line break"), std::string::npos);
  EXPECT_NE(refusal(" reg.io/bot:v2").find("position 1"), std::string::npos);
  EXPECT_NE(refusal("reg.io/bot\x1b[0m").find("control character 0x1b"), std::string::npos);
  EXPECT_NE(refusal("reg.io/b\xc3\xb6t").find("non-ASCII"), std::string::npos);
}

TEST(CoreImageReference, RefusesUpperCaseRepositoryAndSuggestsLowerCase) {
  const auto message = refusal("127.0.0.1:5000/TradeBot:v2");
  EXPECT_NE(message.find("'TradeBot' has upper-case letters"), std::string::npos) << message;
  EXPECT_NE(message.find("write 'tradebot'"), std::string::npos) << message;
  // Not silently taken for a registry host, as Docker would.
  EXPECT_NE(refusal("Tradebot/bot:v2").find("upper-case"), std::string::npos);
  // Registry host names may have capitals.
  EXPECT_EQ(refusal("Registry.Example.com/bot:v2"), "");
}

TEST(CoreImageReference, RefusesEmptyPathComponents) {
  EXPECT_NE(refusal("reg.io//bot"), "");
  EXPECT_NE(refusal("/bot"), "");
  EXPECT_NE(refusal("reg.io/bot/"), "");
  EXPECT_NE(refusal(":v2"), "");
  EXPECT_NE(refusal("@" + kDigest), "");
}

TEST(CoreImageReference, RefusesBadRegistries) {
  EXPECT_NE(refusal("reg.io:/bot"), "");
  EXPECT_NE(refusal("reg.io:50a0/bot"), "");
  EXPECT_NE(refusal("-reg.io/bot"), "");
  EXPECT_NE(refusal("reg..io/bot"), "");
  EXPECT_NE(refusal("[::1/bot"), "");
  EXPECT_NE(refusal("[]:5000/bot"), "");
}

TEST(CoreImageReference, NameLengthLimitIs255) {
  const std::string at_limit = "reg.io/" + std::string(255 - 7, 'a');
  EXPECT_EQ(refusal(at_limit + ":v2"), "");
  const auto message = refusal(at_limit + "a:v2");
  EXPECT_NE(message.find("256 characters"), std::string::npos) << message;
}

TEST(CoreImageReference, CompletesABareTagWithTheDefaultRepository) {
  const auto ref = complete_image_reference("v2", "127.0.0.1:5000/tradebot", "latest");
  EXPECT_EQ(ref.str(), "127.0.0.1:5000/tradebot:v2");
  EXPECT_EQ(complete_image_reference(":v2", "127.0.0.1:5000/tradebot", "latest").str(),
            "127.0.0.1:5000/tradebot:v2");
  EXPECT_EQ(complete_image_reference("@" + kDigest, "127.0.0.1:5000/tradebot", "latest").str(),
            "127.0.0.1:5000/tradebot@" + kDigest);
}

TEST(CoreImageReference, CompletesABareRepositoryWithTheDefaultTag) {
  EXPECT_EQ(complete_image_reference("127.0.0.1:5000/tradebot", "x.io/other", "latest").str(),
            "127.0.0.1:5000/tradebot:latest");
  EXPECT_EQ(complete_image_reference("library/nginx", "", "stable").str(), "library/nginx:stable");
}

TEST(CoreImageReference, LeavesCompleteReferencesAlone) {
  EXPECT_EQ(complete_image_reference("reg.io/bot:v3", "x.io/y", "latest").str(), "reg.io/bot:v3");
  EXPECT_EQ(complete_image_reference("nginx:1.25", "x.io/y", "latest").str(), "nginx:1.25");
  EXPECT_EQ(complete_image_reference("reg.io/bot@" + kDigest, "x.io/y", "latest").str(),
            "reg.io/bot@" + kDigest);
}

TEST(CoreImageReference, CompletionRefusesWhatItCannotComplete) {
  EXPECT_THROW(complete_image_reference("", "x.io/y", "latest"), InputError);
  EXPECT_THROW(complete_image_reference("v2", "", "latest"), InputError);
  EXPECT_THROW(complete_image_reference("reg.io/bot", "x.io/y", ""), InputError);
  EXPECT_THROW(complete_image_reference("v2;reboot", "x.io/y", "latest"), InputError);
  EXPECT_THROW(complete_image_reference("v 2", "x.io/y", "latest"), InputError);
  EXPECT_THROW(complete_image_reference(".v2", "x.io/y", "latest"), InputError);
  EXPECT_THROW(complete_image_reference("reg.io/Bot", "x.io/y", "latest"), InputError);
}

TEST(CoreImageReference, DefaultImageMustBeARepositoryAlone) {
  try {
    complete_image_reference("v2", "127.0.0.1:5000/tradebot:latest", "latest");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "fleet default image");
  }
  EXPECT_THROW(complete_image_reference("v2", "127.0.0.1:5000/Trade", "latest"), InputError);
}

TEST(CoreImageReference, PinnedRefusesAMalformedDigest) {
  const auto ref = parse_image_reference("reg.io/bot:v2");
  EXPECT_THROW(ref.pinned("sha256:xyz"), InputError);
}

}  // namespace
}  // namespace drover::core
