#include "transport/ssm/ssm_api.h"

#include <utility>

namespace drover::transport {

AwsBodyCall body_call_of(AwsJsonCall call) {
  return [call = std::move(call)](std::string_view operation, const nlohmann::json& input) {
    return call(operation, input).dump();
  };
}

}  // namespace drover::transport
