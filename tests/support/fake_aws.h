#pragma once
// The fake AWS endpoint (tests/fake_aws/fake_aws.py, see its README.md) for a test's lifetime:
// started on a free port on 127.0.0.1 in the constructor, stopped (SIGTERM, which also kills
// its running SSM invocations) in the destructor. It speaks the real wire protocols and
// verifies SigV4, so point drover at it with env() and it behaves like SSM, EC2, STS, IMDSv2
// and the container credentials endpoint at once.
#include <sys/types.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace drover::testing {

struct FakeAwsOptions {
  /// The fleet file's text (written to a temporary file and passed as --fleet), e.g.
  /// {"instances":[{"id":"i-0123456789abcdef0","ping_status":"Online","tags":{...},
  /// "env":{...}}]}. Empty: no instances.
  std::string fleet_json;
  std::vector<std::string> roles;  // role ARNs AssumeRole accepts (--role)
  std::string container_token;     // Authorization /container-credentials requires; empty: none
  std::string files_dir;           // served under /files/; empty: no file server
  std::vector<std::string> extra_args;  // anything else for fake_aws.py
};

class FakeAws {
 public:
  /// The base credentials the endpoint accepts unless extra_args override them.
  static constexpr const char* kAccessKey = "AKIDDROVERTEST";
  static constexpr const char* kSecretKey = "drover+test/secret/wJalrXUtnFEMIK7MDENG";
  static constexpr const char* kRegion = "us-east-1";  // any region is accepted

  /// Starts python3 (from PATH) on DROVER_SOURCE_DIR/tests/fake_aws/fake_aws.py and waits up
  /// to 20 s for its port file. Throws std::runtime_error (with its log) when it does not start.
  explicit FakeAws(const FakeAwsOptions& options = {});
  ~FakeAws();
  FakeAws(const FakeAws&) = delete;
  FakeAws& operator=(const FakeAws&) = delete;

  int port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:PORT"
  pid_t pid() const { return pid_; }

  /// AWS_ENDPOINT_URL, AWS_EC2_METADATA_SERVICE_ENDPOINT, AWS_ACCESS_KEY_ID,
  /// AWS_SECRET_ACCESS_KEY and AWS_REGION for a process that should talk to this endpoint.
  std::map<std::string, std::string> env() const;

  /// POST /_fake/config; returns the whole configuration afterwards. Keys: throttle_every,
  /// throttle_bucket, clock_skew_seconds, delivery_timeout_seconds, invocation_visibility_delay_ms,
  /// credential_ttl_seconds, cancel_grace_seconds, ping_status {id: status},
  /// instance_state {id: state}, add_instances [...], expire_temporary_credentials.
  nlohmann::json set_config(const nlohmann::json& config);
  /// Every AWS API call so far: [{service, operation, status, access_key_id, region, time,
  /// peer_port, error?}] (time: arrival, epoch seconds; peer_port: the client connection's port).
  nlohmann::json calls();
  void clear_calls();
  /// Every SSM command invocation: [{command_id, instance_id, status, status_details,
  /// response_code, pid, commands, stdout, stderr, ...}].
  nlohmann::json invocations();
  /// Parameter Store contents: {name: {Value, Version}}.
  nlohmann::json parameters();
  /// Any control request (method, path under /_fake/, JSON body). Throws on a non-2xx answer.
  nlohmann::json control(const std::string& method, const std::string& path,
                         const std::string& body = "");

  /// What the endpoint has written to stderr so far (one line per request; never secrets).
  std::string log() const;
  /// SIGTERM and wait (SIGKILL after 10 s). Idempotent; the destructor calls it.
  void stop();

 private:
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace drover::testing
