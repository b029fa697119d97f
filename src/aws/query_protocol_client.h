#pragma once
// The AWS Query protocol (STS AssumeRole, EC2 DescribeInstances): every action is a signed,
// form-encoded POST to "/" (Action, Version and the flattened parameters) answered with XML.
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/json_protocol_client.h"

namespace drover::aws {

/// Parameters already flattened the Query way: {"InstanceId.1", "i-0abc"},
/// {"Filter.1.Name", "tag:Role"}, {"Filter.1.Value.1", "bot"}. Sent in this order.
using QueryParameters = std::vector<std::pair<std::string, std::string>>;

/// application/x-www-form-urlencoded with RFC 3986 encoding (unreserved bytes kept, space as
/// %20, everything else %XX in upper case), as the AWS SDKs send it.
std::string form_encode(const QueryParameters& parameters);

class QueryProtocolClient {
 public:
  /// `api_version` is the service's Version parameter: "2011-06-15" for STS, "2016-11-15" for
  /// EC2. The endpoint's target_prefix is not used. The references must outlive the client.
  QueryProtocolClient(ServiceEndpoint endpoint, std::string api_version, HttpClient& http,
                      CredentialsProvider& credentials, Clock& clock, Random& random,
                      RetryPolicy retry_policy = {},
                      WallClock wall_clock = std::chrono::system_clock::now);

  /// Calls `action` with `parameters` and returns the parsed XML answer. Retries and signing as
  /// for JsonProtocolClient::call. Throws AwsError: the service's code and message;
  /// "EndpointUnreachable"; "InvalidResponse" for an answer that is not XML.
  pugi::xml_document call(std::string_view action, const QueryParameters& parameters);

  const ServiceEndpoint& endpoint() const { return endpoint_; }

 private:
  ServiceEndpoint endpoint_;
  std::string api_version_;
  HttpClient& http_;
  CredentialsProvider& credentials_;
  Clock& clock_;
  Random& random_;
  RetryPolicy retry_policy_;
  WallClock wall_clock_;
};

/// The AwsError for a Query-protocol error answer: Code and Message of the first Error element,
/// as STS (<ErrorResponse><Error>) and EC2 (<Response><Errors><Error>) both nest it. An answer
/// without one gives the code "HttpStatus<status>" and the start of the body as the message.
AwsError query_protocol_error(const HttpResponse& response);

}  // namespace drover::aws
