// credential_process: argv splitting as the AWS CLI does it, and real helper scripts run
// through the real PosixProcessRunner.
#include <gtest/gtest.h>

#include "aws/aws_error.h"
#include "aws/credential_chain.h"
#include "aws/credential_process.h"
#include "aws_credential_test_support.h"

namespace drover::aws {
namespace {

using testing::env_of;
using testing::FakeWallClock;
using testing::ScriptedHttp;
using testing::TempDir;
using Words = std::vector<std::string>;

TEST(AwsCredentialProcessTest, SplitsLikeShlex) {
  EXPECT_EQ(split_command_line("  helper  --a b\t--c "), (Words{"helper", "--a", "b", "--c"}));
  EXPECT_EQ(split_command_line(R"(/opt/my tool/x)"), (Words{"/opt/my", "tool/x"}));
  EXPECT_EQ(split_command_line(R"("/opt/my tool/x" 'it''s' "say \"hi\" \n")"),
            (Words{"/opt/my tool/x", "its", R"(say "hi" \n)"}));
  EXPECT_EQ(split_command_line(R"(a\ b c\\d '' "")"), (Words{"a b", "c\\d", "", ""}));
  EXPECT_EQ(split_command_line(R"(x --p='$HOME;rm -rf /')"), (Words{"x", "--p=$HOME;rm -rf /"}));
  EXPECT_EQ(split_command_line(""), Words{});
  EXPECT_THROW(split_command_line("a 'b"), AwsError);
  EXPECT_THROW(split_command_line("a \"b"), AwsError);
  EXPECT_THROW(split_command_line("a \\"), AwsError);
}

class AwsCredentialProcessRunTest : public ::testing::Test {
 protected:
  std::string script(const std::string& body) {
    return dir_.write("bin/helper.sh", "#!/bin/sh\n" + body, true);
  }
  AwsError error_of(const std::string& command) {
    try {
      run_credential_process(runner_, command, "prod");
    } catch (const AwsError& e) {
      return e;
    }
    ADD_FAILURE() << "no AwsError";
    return AwsError("none", "none");
  }

  TempDir dir_;
  PosixProcessRunner runner_;
};

TEST_F(AwsCredentialProcessRunTest, ParsesVersionOneOutputAndPassesArgumentsVerbatim) {
  const auto helper = script(
      "[ \"$1\" = 'two words' ] && [ \"$2\" = '$HOME' ] || exit 7\n"
      "printf '%s' '{\"Version\": 1, \"AccessKeyId\": \"ASIAPROC\", \"SecretAccessKey\": "
      "\"proc-secret\", \"SessionToken\": \"proc-token\", \"Expiration\": "
      "\"2026-05-01T01:00:00Z\"}'\n");
  const auto credentials =
      run_credential_process(runner_, "'" + helper + "' \"two words\" '$HOME'", "prod");
  EXPECT_EQ(credentials.access_key_id, "ASIAPROC");
  EXPECT_EQ(credentials.secret_access_key, "proc-secret");
  EXPECT_EQ(credentials.session_token, "proc-token");
  ASSERT_TRUE(credentials.expiration);
  EXPECT_EQ(credentials.source, "profile prod credential_process");
}

TEST_F(AwsCredentialProcessRunTest, ExpirationIsOptional) {
  const auto helper = script(
      "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"s\"}'\n");
  const auto credentials = run_credential_process(runner_, helper, "prod");
  EXPECT_FALSE(credentials.expiration);
  EXPECT_EQ(credentials.session_token, "");
}

TEST_F(AwsCredentialProcessRunTest, FailuresSayWhatWentWrongWithoutSecrets) {
  auto helper = script("echo 'token expired, run sso login' >&2\nexit 3\n");
  auto error = error_of(helper + " --password hunter2");
  EXPECT_EQ(error.code(), "CredentialProcess");
  EXPECT_NE(error.message().find("exited with status 3; its stderr: token expired, run sso "
                                 "login"),
            std::string::npos)
      << error.message();
  EXPECT_EQ(error.message().find("hunter2"), std::string::npos);

  helper = script("echo '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"x\"}'\n");
  EXPECT_NE(error_of(helper).message().find("\"Version\": 1"), std::string::npos);

  helper = script("echo 'AccessKeyId=A SecretAccessKey=leaked-secret'\n");
  error = error_of(helper);
  EXPECT_NE(error.message().find("did not print a JSON object"), std::string::npos);
  EXPECT_EQ(error.message().find("leaked-secret"), std::string::npos);

  helper = script("echo '{\"Version\": 1, \"AccessKeyId\": \"A\"}'\n");
  EXPECT_NE(error_of(helper).message().find("returned no SecretAccessKey"), std::string::npos);

  error = error_of(dir_.str() + "/no-such-helper");
  EXPECT_NE(error.message().find("could not start"), std::string::npos) << error.message();
}

TEST_F(AwsCredentialProcessRunTest, ThroughTheChainAndRefreshedOnExpiry) {
  // Each run prints a new key id (a counter in a file) expiring one hour after the fake now.
  const auto counter = dir_.write("count", "0");
  const auto helper = script("n=$(($(cat '" + counter + "') + 1)); echo $n > '" + counter +
                             "'\n"
                             "echo \"{\\\"Version\\\": 1, \\\"AccessKeyId\\\": \\\"ASIA$n\\\", "
                             "\\\"SecretAccessKey\\\": \\\"s\\\", \\\"SessionToken\\\": \\\"t\\\", "
                             "\\\"Expiration\\\": \\\"2026-05-01T01:00:00Z\\\"}\"\n");
  dir_.write("home/.aws/config", "[profile proc]\ncredential_process = " + helper + "\n");
  ScriptedHttp http;
  FakeWallClock clock;
  auto chain = make_default_credential_chain(CredentialChainOptions{
      .http = http,
      .processes = runner_,
      .clock = clock.fn(),
      .region = "eu-west-1",
      .env = env_of({{"HOME", dir_.str() + "/home"}}),
      .profile = "proc",
  });
  EXPECT_EQ(chain->get().access_key_id, "ASIA1");
  EXPECT_EQ(chain->get().access_key_id, "ASIA1");
  clock.advance(std::chrono::minutes(56));
  EXPECT_EQ(chain->get().access_key_id, "ASIA2");
  EXPECT_TRUE(http.requests().empty());
}

}  // namespace
}  // namespace drover::aws
