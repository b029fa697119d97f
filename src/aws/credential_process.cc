#include "aws/credential_process.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "aws/aws_error.h"
#include "aws/credential_json.h"

namespace drover::aws {
namespace {

constexpr const char* kCode = "CredentialProcess";
// Helpers that talk to an SSO portal or a vault can be slow, but one that hangs must not hang
// a rollout forever.
constexpr std::chrono::minutes kTimeout{2};
// A credential document is a few hundred bytes; a helper that says more is misbehaving.
constexpr std::size_t kMaxOutputBytes = std::size_t{1} << 20;
constexpr std::size_t kMaxStderrShown = 500;

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string shown_stderr(const std::string& err) {
  std::string text = err;
  while (!text.empty() && is_blank(text.back())) {
    text.pop_back();
  }
  if (text.empty()) {
    return "";
  }
  if (text.size() > kMaxStderrShown) {
    text = "..." + text.substr(text.size() - kMaxStderrShown);
  }
  return "; its stderr: " + text;
}

}  // namespace

std::vector<std::string> split_command_line(std::string_view command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;  // distinguishes '' (an empty word) from no word at all
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (is_blank(c)) {
      if (in_word) {
        words.push_back(std::move(word));
        word.clear();
        in_word = false;
      }
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (++i == command.size()) {
        throw AwsError(kCode, "credential_process ends with a lone backslash");
      }
      word += command[i];
    } else if (c == '\'') {
      const auto close = command.find('\'', i + 1);
      if (close == std::string_view::npos) {
        throw AwsError(kCode, "credential_process has an unclosed ' quote");
      }
      word += command.substr(i + 1, close - i - 1);
      i = close;
    } else if (c == '"') {
      for (++i;; ++i) {
        if (i == command.size()) {
          throw AwsError(kCode, "credential_process has an unclosed \" quote");
        }
        if (command[i] == '"') {
          break;
        }
        if (command[i] == '\\' && i + 1 < command.size() &&
            (command[i + 1] == '"' || command[i + 1] == '\\')) {
          ++i;
        }
        word += command[i];
      }
    } else {
      word += c;
    }
  }
  if (in_word) {
    words.push_back(std::move(word));
  }
  return words;
}

Credentials run_credential_process(ProcessRunner& runner, const std::string& command,
                                   const std::string& profile) {
  const std::string where = "profile " + profile + " credential_process";
  const auto argv = split_command_line(command);
  if (argv.empty()) {
    throw AwsError(kCode, where + " is empty");
  }
  const std::string program = "`" + argv.front() + "`";
  ProcessOptions options;
  options.timeout = kTimeout;
  options.max_output_bytes = kMaxOutputBytes;
  ProcessResult result;
  try {
    result = runner.run(argv, options);
  } catch (const std::runtime_error& e) {
    throw AwsError(kCode, where + " could not start " + program + ": " + e.what());
  }
  if (!result.overflowed.empty()) {
    throw AwsError(kCode, where + " " + program + " wrote more than " +
                              std::to_string(kMaxOutputBytes >> 10) + " KiB to " +
                              result.overflowed +
                              " and was stopped (it should print one small "
                              "JSON object)");
  }
  if (result.timed_out) {
    throw AwsError(kCode, where + " " + program + " did not finish within " +
                              std::to_string(kTimeout.count()) + " minutes");
  }
  if (result.exit_code != 0) {
    const std::string how = result.signal != 0
                                ? "was killed by signal " + std::to_string(result.signal)
                                : "exited with status " + std::to_string(result.exit_code);
    throw AwsError(kCode, where + " " + program + " " + how + shown_stderr(result.err));
  }
  // Version first: a helper written for another format should hear that, not "no AccessKeyId".
  const auto document = nlohmann::json::parse(result.out, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    throw AwsError(kCode, where + " " + program + " did not print a JSON object on stdout");
  }
  const auto version = document.find("Version");
  if (version == document.end() || !version->is_number_integer() || version->get<int>() != 1) {
    throw AwsError(kCode, where + " " + program +
                              " printed JSON without \"Version\": 1, the only format the AWS "
                              "CLI and drover understand");
  }
  return credentials_from_json(result.out, {"SessionToken", false}, where, kCode);
}

}  // namespace drover::aws
