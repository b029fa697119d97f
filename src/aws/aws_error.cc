#include "aws/aws_error.h"

#include <utility>

namespace drover::aws {

AwsError::AwsError(std::string code, std::string message, long http_status)
    : std::runtime_error(code + ": " + message),
      code_(std::move(code)),
      message_(std::move(message)),
      http_status_(http_status) {}

}  // namespace drover::aws
