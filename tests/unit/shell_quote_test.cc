// shell_quote is tested against a real /bin/sh: whatever the argument holds, the shell must
// hand the program exactly those bytes back as one argument.
#include "util/shell_quote.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "util/subprocess.h"

namespace drover {
namespace {

// What /bin/sh makes of `command_line`: the arguments printf receives, one per line.
std::vector<std::string> words_the_shell_sees(const std::vector<std::string>& argv) {
  std::vector<std::string> printer{"printf", "%s\\0"};
  printer.insert(printer.end(), argv.begin(), argv.end());
  PosixProcessRunner runner;
  auto result = runner.run({"/bin/sh", "-c", shell_command(printer)});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> words;
  std::string current;
  for (char c : result.out) {
    if (c == '\0') {
      words.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  return words;
}

TEST(ShellQuote, PlainWordsStayReadable) {
  EXPECT_EQ(shell_quote("swap"), "swap");
  EXPECT_EQ(shell_quote("--bots"), "--bots");
  EXPECT_EQ(shell_quote("127.0.0.1:5000/drover-test/bot@sha256:abc"),
            "127.0.0.1:5000/drover-test/bot@sha256:abc");
  EXPECT_EQ(shell_quote("539,540"), "539,540");
}

TEST(ShellQuote, EverythingElseIsSingleQuoted) {
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("~root"), "'~root'");
  EXPECT_EQ(shell_quote("#x"), "'#x'");
}

TEST(ShellQuote, HostileArgumentsReachTheProgramUnchanged) {
  const std::vector<std::string> hostile{"539;reboot",
                                         "$(rm -rf /)",
                                         "`id`",
                                         "a'b\"c",
                                         "'",
                                         "''",
                                         "\\",
                                         "$HOME",
                                         "*",
                                         "x\ny",
                                         "{\"Env\":[\"A=$B\"]}",
                                         "--bots=1 && halt",
                                         "a\tb",
                                         " lead",
                                         "trail ",
                                         "!event",
                                         "-n",
                                         "|cat",
                                         "> /etc/x",
                                         "日本",
                                         std::string("\x01\x7f\xff", 3),
                                         "",
                                         "~",
                                         "a\\'b"};
  EXPECT_EQ(words_the_shell_sees(hostile), hostile);
}

TEST(ShellQuote, ANulByteIsRefused) {
  EXPECT_THROW(shell_quote(std::string("a\0b", 3)), std::invalid_argument);
  EXPECT_THROW(shell_command({}), std::invalid_argument);
}

TEST(ShellQuote, ACommandLineJoinsQuotedWords) {
  EXPECT_EQ(shell_command({"/usr/local/bin/drover-agent", "status", "--bots", "539 540"}),
            "/usr/local/bin/drover-agent status --bots '539 540'");
}

}  // namespace
}  // namespace drover
