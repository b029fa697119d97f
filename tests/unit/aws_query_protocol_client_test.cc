// QueryProtocolClient over a scripted HttpClient: the form-encoded request, the XML answer,
// the STS and EC2 error layouts, retries, and that no secret leaks.
#include <gtest/gtest.h>

#include <deque>
#include <limits>

#include "aws/query_protocol_client.h"
#include "core/virtual_clock.h"
#include "support/fixed_random.h"

namespace drover::aws {
namespace {

using drover::core::VirtualClock;
using drover::testing::FixedRandom;
using std::chrono::milliseconds;

constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kToken = "IQoJb3JpZ2luX2VjEXAMPLETOKEN==";

class ScriptedHttpClient final : public HttpClient {
 public:
  HttpResponse send(const HttpRequest& request) override {
    requests.push_back(request);
    if (script.empty()) return HttpResponse{0, {}, "", "script exhausted"};
    HttpResponse response = script.front();
    script.pop_front();
    return response;
  }
  void answer(long status, std::string body) {
    script.push_back(HttpResponse{status, {}, std::move(body), ""});
  }
  std::deque<HttpResponse> script;
  std::vector<HttpRequest> requests;
};

class StaticCredentials final : public CredentialsProvider {
 public:
  Credentials get() override { return {"AKIDEXAMPLE", kSecret, kToken, std::nullopt, "test"}; }
};

std::string header(const HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return "<missing>";
}

constexpr const char* kAssumeRoleAnswer =
    R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
      <SecretAccessKey>returned-secret</SecretAccessKey>
      <SessionToken>returned-token</SessionToken>
      <Expiration>2024-01-02T04:04:05Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</AssumeRoleResponse>)";

constexpr const char* kStsError =
    R"(<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>AccessDenied</Code>
    <Message>User is not authorized to perform: sts:AssumeRole</Message>
  </Error>
  <RequestId>r-2</RequestId>
</ErrorResponse>)";

constexpr const char* kEc2Throttled = R"(<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r-3</RequestID></Response>)";

constexpr const char* kDescribeInstancesAnswer = R"(<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>r-4</requestId>
  <reservationSet><item><instancesSet><item><instanceId>i-0abc</instanceId></item></instancesSet></item></reservationSet>
</DescribeInstancesResponse>)";

class AwsQueryProtocolClientTest : public ::testing::Test {
 protected:
  QueryProtocolClient sts(RetryPolicy policy = {}) {
    return QueryProtocolClient(
        {"sts", "sts", "", "eu-west-1", "https://sts.eu-west-1.amazonaws.com"}, "2011-06-15", http,
        credentials, clock, random, policy);
  }
  QueryProtocolClient ec2() {
    return QueryProtocolClient(
        {"ec2", "ec2", "", "eu-west-1", "https://ec2.eu-west-1.amazonaws.com"}, "2016-11-15", http,
        credentials, clock, random);
  }
  AwsError call_error(QueryProtocolClient& client) {
    try {
      client.call("AssumeRole", {{"RoleArn", "arn:aws:iam::123456789012:role/x"}});
    } catch (const AwsError& error) {
      const std::string text = error.what();
      EXPECT_EQ(text.find(kSecret), std::string::npos) << text;
      EXPECT_EQ(text.find(kToken), std::string::npos) << text;
      return error;
    }
    ADD_FAILURE() << "call() did not throw";
    return AwsError("none", "none");
  }

  ScriptedHttpClient http;
  StaticCredentials credentials;
  VirtualClock clock;
  FixedRandom random{std::numeric_limits<std::int64_t>::max()};
};

TEST(AwsQueryFormEncoding, KeepsUnreservedBytesAndPercentEncodesTheRest) {
  EXPECT_EQ(form_encode({}), "");
  EXPECT_EQ(form_encode({{"Action", "DescribeInstances"}, {"Filter.1.Value.1", "a b/c*~+é"}}),
            "Action=DescribeInstances&Filter.1.Value.1=a%20b%2Fc%2A~%2B%C3%A9");
  EXPECT_EQ(form_encode({{"Empty", ""}}), "Empty=");
}

TEST_F(AwsQueryProtocolClientTest, SendsASignedFormPostAndReturnsTheXml) {
  http.answer(200, kAssumeRoleAnswer);
  QueryProtocolClient client = sts();
  const pugi::xml_document answer = client.call(
      "AssumeRole",
      {{"RoleArn", "arn:aws:iam::123456789012:role/drover"}, {"RoleSessionName", "drover cli"}});

  EXPECT_STREQ(answer.child("AssumeRoleResponse")
                   .child("AssumeRoleResult")
                   .child("Credentials")
                   .child_value("AccessKeyId"),
               "ASIAEXAMPLE");
  ASSERT_EQ(http.requests.size(), 1u);
  const HttpRequest& sent = http.requests[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "https://sts.eu-west-1.amazonaws.com/");
  EXPECT_EQ(sent.body,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%"
            "2Fdrover&RoleSessionName=drover%20cli");
  EXPECT_EQ(header(sent, "Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(header(sent, "Host"), "sts.eu-west-1.amazonaws.com");
  EXPECT_EQ(header(sent, "X-Amz-Security-Token"), kToken);
  EXPECT_NE(header(sent, "Authorization")
                .find("/eu-west-1/sts/aws4_request, "
                      "SignedHeaders=content-type;host;x-amz-date;"
                      "x-amz-security-token, Signature="),
            std::string::npos)
      << header(sent, "Authorization");
  EXPECT_NE(header(sent, "X-Amz-Date"), "<missing>");
}

TEST_F(AwsQueryProtocolClientTest, StsErrorLayoutBecomesAwsErrorWithoutRetry) {
  http.answer(403, kStsError);
  QueryProtocolClient client = sts();
  const AwsError error = call_error(client);
  EXPECT_EQ(error.code(), "AccessDenied");
  EXPECT_EQ(error.message(), "User is not authorized to perform: sts:AssumeRole");
  EXPECT_EQ(error.http_status(), 403);
  EXPECT_EQ(http.requests.size(), 1u);
}

TEST_F(AwsQueryProtocolClientTest, Ec2ThrottlingIsRetriedThenTheAnswerParsed) {
  http.answer(503, kEc2Throttled);
  http.answer(503, kEc2Throttled);
  http.answer(200, kDescribeInstancesAnswer);
  QueryProtocolClient client = ec2();
  const pugi::xml_document answer =
      client.call("DescribeInstances", {{"InstanceId.1", "i-0abc"}, {"MaxResults", "5"}});
  EXPECT_STREQ(
      answer.select_node("//reservationSet/item/instancesSet/item/instanceId").node().child_value(),
      "i-0abc");
  EXPECT_EQ(http.requests.size(), 3u);
  EXPECT_EQ(clock.slept(), milliseconds(100 + 200));
  EXPECT_EQ(http.requests[0].body,
            "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0abc&MaxResults=5");
}

TEST_F(AwsQueryProtocolClientTest, Ec2ErrorLayoutIsUnderstood) {
  http.answer(
      400,
      R"(<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID 'i-1' does not exist</Message></Error></Errors><RequestID>r</RequestID></Response>)");
  QueryProtocolClient client = ec2();
  const AwsError error = call_error(client);
  EXPECT_EQ(error.code(), "InvalidInstanceID.NotFound");
  EXPECT_EQ(error.message(), "The instance ID 'i-1' does not exist");
  EXPECT_EQ(error.http_status(), 400);
}

TEST_F(AwsQueryProtocolClientTest, NonXmlErrorNamesTheStatus) {
  http.answer(404, "Not Found");
  QueryProtocolClient client = sts();
  const AwsError error = call_error(client);
  EXPECT_EQ(error.code(), "HttpStatus404");
  EXPECT_EQ(error.message(), "HTTP 404: Not Found");
}

TEST_F(AwsQueryProtocolClientTest, SecretsEchoedByTheServiceAreRedacted) {
  http.answer(403, std::string("<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>"
                               "x-amz-security-token:") +
                       kToken + " and " + kSecret + "</Message></Error></ErrorResponse>");
  QueryProtocolClient client = sts();
  const AwsError error = call_error(client);
  EXPECT_EQ(error.code(), "SignatureDoesNotMatch");
  EXPECT_EQ(error.message(), "x-amz-security-token:<redacted> and <redacted>");
}

TEST_F(AwsQueryProtocolClientTest, AnswerThatIsNotXmlIsAnInvalidResponse) {
  http.answer(200, "{\"json\":true}");
  QueryProtocolClient client = sts();
  const AwsError error = call_error(client);
  EXPECT_EQ(error.code(), "InvalidResponse");
}

TEST_F(AwsQueryProtocolClientTest, GivingUpAfterTheConfiguredAttempts) {
  for (int i = 0; i < 2; ++i) http.answer(500, "<html>oops</html>");
  QueryProtocolClient client = sts(RetryPolicy{.max_attempts = 2});
  const AwsError error = call_error(client);
  EXPECT_EQ(error.code(), "HttpStatus500");
  EXPECT_NE(error.message().find("(gave up after 2 attempts)"), std::string::npos);
  EXPECT_EQ(http.requests.size(), 2u);
}

}  // namespace
}  // namespace drover::aws
