#pragma once
// A profile's `credential_process`: a program the operator names that prints credentials as
// JSON ({"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}).
// The command line is split into argv the way the AWS CLI splits it on Linux (Python's
// shlex.split: POSIX shell quoting, but no variables, globs, pipes or redirections) and the
// program is started directly, never through a shell.
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "util/subprocess.h"

namespace drover::aws {

/// Splits a command line: whitespace separates words; 'single quotes' keep everything;
/// "double quotes" keep everything except that \" and \\ are escapes; outside quotes a
/// backslash keeps the next character. Throws AwsError("CredentialProcess") for an unclosed
/// quote or a trailing backslash.
std::vector<std::string> split_command_line(std::string_view command);

/// Runs `command` and parses its output. `profile` is only for messages. Throws AwsError
/// ("CredentialProcess") when the program cannot start, fails, times out, or prints something
/// that is not Version 1 credentials; messages name the program (argv[0] only: later
/// arguments may be secrets) and quote its stderr, never its stdout.
Credentials run_credential_process(ProcessRunner& runner, const std::string& command,
                                   const std::string& profile);

}  // namespace drover::aws
