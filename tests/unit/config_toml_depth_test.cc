#include <gtest/gtest.h>

#include <string>

#include "cli/config/toml_depth.h"

namespace drover::cli {
namespace {

std::string repeated(const std::string& part, int times, const std::string& separator) {
  std::string text;
  for (int i = 0; i < times; ++i) text += (i ? separator : "") + part;
  return text;
}

TEST(TomlDepth, RealConfigsAreShallow) {
  const std::string text = R"([fleet]
name = "a.b.c.d.e.f"   # dots in strings and comments: a.b.c.d.e.f.g
settle = 2.5
values = [1.5, 2.5, 3.5, "x.y.z", 'p.q.r', { a = 1.0 }]
notes = """
a.b.c.d.e [[[[ {{{{
"""

[speeds.routine]
concurrency = 3
[container]
host_config = { restart_policy = { name = "unless-stopped" } }
[[hosts]]
name = "host-1"
bots = [
  539,
  540,
]
)";
  EXPECT_EQ(find_too_deep_nesting(text, 4), std::nullopt);
  EXPECT_TRUE(find_too_deep_nesting(text, 3)) << "[container] host_config.restart_policy.name";
}

TEST(TomlDepth, EachKindOfNestingCounts) {
  // Exactly at the limit passes; one more is refused at its line.
  EXPECT_EQ(find_too_deep_nesting("x = 1\n" + repeated("a", 4, ".") + " = 1\n", 4), std::nullopt);
  auto deep = find_too_deep_nesting("x = 1\n" + repeated("a", 5, ".") + " = 1\n", 4);
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->line, 2u);
  EXPECT_EQ(deep->depth, 5);

  EXPECT_EQ(find_too_deep_nesting("[" + repeated("a", 4, ".") + "]\n", 4), std::nullopt);
  EXPECT_TRUE(find_too_deep_nesting("[" + repeated("a", 5, ".") + "]\n", 4));
  EXPECT_TRUE(find_too_deep_nesting("[[" + repeated("a", 5, ".") + "]]\n", 4));
  // A header's parts and the dotted key under it add up.
  EXPECT_EQ(find_too_deep_nesting("[a.b]\nc.d = 1\n", 4), std::nullopt);
  EXPECT_TRUE(find_too_deep_nesting("[a.b]\nc.d.e = 1\n", 4));
  // Lists and inline tables: `k = [[[1]]]` is 4 deep, `k = {a = {b.c = 1}}` too (as k.a.b.c).
  EXPECT_EQ(find_too_deep_nesting("k = [[[1]]]\n", 4), std::nullopt);
  EXPECT_TRUE(find_too_deep_nesting("k = [[[[1]]]]\n", 4));
  EXPECT_EQ(find_too_deep_nesting("k = {a = {b.c = 1}}\n", 4), std::nullopt);
  EXPECT_TRUE(find_too_deep_nesting("k = {a = {b.c.d = 1}}\n", 4));
  EXPECT_TRUE(find_too_deep_nesting("k = [{a = [{b = 1}]}]\n", 4));
  // Quoted parts count as parts; the dots inside them do not.
  EXPECT_EQ(find_too_deep_nesting("\"a.b.c.d.e\".'f.g.h' = 1\n", 2), std::nullopt);
  EXPECT_TRUE(find_too_deep_nesting("\"a\".'b'.c = 1\n", 2));
}

TEST(TomlDepth, LinesAreCountedThroughMultiLineStrings) {
  const std::string text =
      "a = \"\"\"\n1\n2\n\"\"\"\nb = '''\n3\n'''\n" + repeated("k", 9, ".") + " = 1\n";
  const auto deep = find_too_deep_nesting(text, 8);
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->line, 8u);
}

TEST(TomlDepth, FortyThousandPartsAreFoundWithoutRecursion) {
  const auto deep = find_too_deep_nesting(repeated("a", 40000, ".") + " = 1\n");
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->depth, kMaxTomlDepth + 1);
  EXPECT_TRUE(find_too_deep_nesting("[" + repeated("a", 40000, ".") + "]\n"));
  EXPECT_TRUE(find_too_deep_nesting("k = " + std::string(40000, '[') + "\n"));
  EXPECT_TRUE(find_too_deep_nesting("k = " + repeated("{a = ", 40000, "") + "\n"));
}

TEST(TomlDepth, BrokenTextIsScannedWithoutFault) {
  for (const std::string text : {"\"", "'''", "\"\"\"", "a = \"\\", "[", "[[", "]]]]", "}}}{", "a.",
                                 "= = =", "a = [{,}]", "k = \"unterminated\n[a.b.c.d.e.f]\n"}) {
    EXPECT_NO_FATAL_FAILURE(find_too_deep_nesting(text, 4)) << text;
  }
  EXPECT_TRUE(find_too_deep_nesting("k = \"unterminated\n[a.b.c.d.e.f]\n", 4))
      << "an unterminated string ends at its line";
}

}  // namespace
}  // namespace drover::cli
