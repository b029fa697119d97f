#pragma once
// An AWS call that failed, as the operator should read it: AWS's own error code and message
// ("AccessDeniedException: User ... is not authorized"), or drover's code for failures before
// AWS answered ("NoCredentials", "EndpointUnreachable"). Never carries a secret.
#include <stdexcept>
#include <string>

namespace drover::aws {

class AwsError : public std::runtime_error {
 public:
  AwsError(std::string code, std::string message, long http_status = 0);

  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  long http_status() const { return http_status_; }  // 0 when no HTTP answer

 private:
  std::string code_;
  std::string message_;
  long http_status_;
};

}  // namespace drover::aws
