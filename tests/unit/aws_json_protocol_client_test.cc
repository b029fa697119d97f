// JsonProtocolClient over a scripted HttpClient (our own interface): what goes on the wire, how
// answers and errors come back, retries with their backoff, and that no secret leaks.
#include <gtest/gtest.h>

#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>

#include "aws/json_protocol_client.h"
#include "aws/sigv4.h"
#include "core/virtual_clock.h"
#include "support/fixed_random.h"

namespace drover::aws {
namespace {

using drover::core::VirtualClock;
using drover::testing::FixedRandom;
using std::chrono::milliseconds;

constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kToken = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN+/=";

// Answers from a script, in order, and keeps every request it was sent.
class ScriptedHttpClient final : public HttpClient {
 public:
  HttpResponse send(const HttpRequest& request) override {
    requests.push_back(request);
    if (script.empty()) return HttpResponse{0, {}, "", "script exhausted"};
    HttpResponse response = script.front();
    script.pop_front();
    return response;
  }
  void answer(long status, std::string body,
              std::vector<std::pair<std::string, std::string>> headers = {}) {
    script.push_back(HttpResponse{status, std::move(headers), std::move(body), ""});
  }
  void fail(std::string transport_error) {
    script.push_back(HttpResponse{0, {}, "", std::move(transport_error)});
  }
  std::deque<HttpResponse> script;
  std::vector<HttpRequest> requests;
};

class CountingCredentials final : public CredentialsProvider {
 public:
  Credentials get() override {
    ++calls;
    if (missing) throw AwsError("NoCredentials", "no credentials in the environment");
    return Credentials{"AKIDEXAMPLE", kSecret, kToken, std::nullopt, "test"};
  }
  int calls = 0;
  bool missing = false;
};

std::chrono::system_clock::time_point fixed_time() {
  std::tm tm{};
  tm.tm_year = 2024 - 1900;
  tm.tm_mon = 0;
  tm.tm_mday = 2;
  tm.tm_hour = 3;
  tm.tm_min = 4;
  tm.tm_sec = 5;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string header(const HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return "<missing>";
}

ServiceEndpoint ssm_endpoint() {
  return {"ssm", "ssm", "AmazonSSM", "eu-west-1", "https://ssm.eu-west-1.amazonaws.com"};
}

class AwsJsonProtocolClientTest : public ::testing::Test {
 protected:
  JsonProtocolClient client(RetryPolicy policy = {}) {
    return JsonProtocolClient(ssm_endpoint(), http, credentials, clock, random, policy, fixed_time);
  }
  // Throws the AwsError call() throws, so each test can look at it.
  AwsError call_error(JsonProtocolClient& client) {
    try {
      client.call("SendCommand", {{"InstanceIds", {"i-1"}}});
    } catch (const AwsError& error) {
      const std::string text = error.what();
      EXPECT_EQ(text.find(kSecret), std::string::npos) << text;
      EXPECT_EQ(text.find(kToken), std::string::npos) << text;
      EXPECT_EQ(text.find("Signature="), std::string::npos) << text;
      return error;
    }
    ADD_FAILURE() << "call() did not throw";
    return AwsError("none", "none");
  }

  ScriptedHttpClient http;
  CountingCredentials credentials;
  VirtualClock clock;
  FixedRandom random{std::numeric_limits<std::int64_t>::max()};
};

TEST_F(AwsJsonProtocolClientTest, SendsASignedJson11PostAndReturnsTheOutput) {
  http.answer(200, R"({"Command":{"CommandId":"c-1"}})");
  JsonProtocolClient ssm = client();
  const nlohmann::json input = {{"InstanceIds", {"i-0abc"}},
                                {"DocumentName", "AWS-RunShellScript"}};
  const nlohmann::json output = ssm.call("SendCommand", input);

  EXPECT_EQ(output["Command"]["CommandId"], "c-1");
  ASSERT_EQ(http.requests.size(), 1u);
  const HttpRequest& sent = http.requests[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "https://ssm.eu-west-1.amazonaws.com/");
  EXPECT_EQ(nlohmann::json::parse(sent.body), input);
  EXPECT_EQ(header(sent, "Host"), "ssm.eu-west-1.amazonaws.com");
  EXPECT_EQ(header(sent, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(header(sent, "X-Amz-Target"), "AmazonSSM.SendCommand");
  EXPECT_EQ(header(sent, "X-Amz-Date"), "20240102T030405Z");
  EXPECT_EQ(header(sent, "X-Amz-Security-Token"), kToken);
  EXPECT_EQ(
      header(sent, "Authorization")
          .rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/eu-west-1/ssm/aws4_request, "
                 "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
                 "Signature=",
                 0),
      0u)
      << header(sent, "Authorization");

  // The signature is the one the SigV4 steps give for exactly the request that was sent.
  sigv4::SignableRequest resigned{"POST", "/", "", sent.headers, sent.body};
  resigned.headers.pop_back();
  sigv4::sign(resigned, credentials.get(), {"eu-west-1", "ssm", fixed_time()});
  EXPECT_EQ(resigned.headers.back().second, header(sent, "Authorization"));
}

TEST_F(AwsJsonProtocolClientTest, TargetAndContentTypeMatchTheSsmServiceModel) {
  std::ifstream in(std::filesystem::path(DROVER_SHARED_DATA_DIR) / "aws" /
                   "ssm-2014-11-06-subset.json");
  ASSERT_TRUE(in) << "SSM model subset missing";
  const nlohmann::json model = nlohmann::json::parse(in);
  const nlohmann::json& wire = model["_subset"]["wireProtocol"];
  const std::string prefix = model["metadata"]["endpointPrefix"].get<std::string>();
  const ServiceEndpoint endpoint{
      prefix, wire["signingName"].get<std::string>(),
      model["metadata"]["targetPrefix"].get<std::string>(), "us-east-1",
      endpoint_url_for(prefix, "us-east-1", [](const std::string&) { return std::nullopt; })};
  EXPECT_EQ(endpoint.url, wire["defaultEndpointExample"].get<std::string>());
  for (const auto& operation : model["_subset"]["operations"]) {
    http.answer(200, "{}");
    JsonProtocolClient(endpoint, http, credentials, clock, random, {}, fixed_time)
        .call(operation.get<std::string>(), nlohmann::json::object());
    const HttpRequest& sent = http.requests.back();
    EXPECT_EQ(header(sent, "X-Amz-Target"),
              wire["targetPrefix"].get<std::string>() + "." + operation.get<std::string>());
    EXPECT_EQ(header(sent, "Content-Type"), wire["contentType"]);
    EXPECT_EQ(sent.method, wire["httpMethod"]);
  }
  EXPECT_EQ(header(http.requests.front(), "X-Amz-Target"), wire["xAmzTargetExample"]);
}

TEST_F(AwsJsonProtocolClientTest, EmptyAnswerIsAnEmptyObjectAndNullInputIsAnEmptyObject) {
  http.answer(200, "");
  JsonProtocolClient ssm = client();
  EXPECT_EQ(ssm.call("CancelCommand", nullptr), nlohmann::json::object());
  EXPECT_EQ(http.requests.at(0).body, "{}");
}

TEST_F(AwsJsonProtocolClientTest, CallForBodyAnswersTheBodyAsItCameAfterTheSameRetries) {
  http.answer(400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})");
  http.answer(200, R"({"CommandInvocations": [], "NextToken": "n"})");
  http.answer(200, "");
  http.answer(400, R"({"__type":"InvalidCommandId","message":"no such command"})");
  JsonProtocolClient ssm = client();
  EXPECT_EQ(ssm.call_for_body("ListCommandInvocations", {{"CommandId", "c-1"}}),
            R"({"CommandInvocations": [], "NextToken": "n"})");
  EXPECT_EQ(http.requests.size(), 2u);
  EXPECT_EQ(ssm.call_for_body("ListCommands", nullptr), "{}");
  try {
    ssm.call_for_body("ListCommandInvocations", {{"CommandId", "c-2"}});
    ADD_FAILURE() << "an error answer must throw";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code(), "InvalidCommandId");
  }
}

TEST_F(AwsJsonProtocolClientTest, CallForBodyAtMostOnceRetriesThrottlingButNotAnUnansweredSend) {
  http.answer(400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})");
  http.answer(200, R"({"Command": {"CommandId": "c-1"}})");
  http.fail("Operation timed out after 30000 milliseconds");
  http.answer(200, R"({"Command": {"CommandId": "c-2"}})");
  JsonProtocolClient ssm = client();
  EXPECT_EQ(ssm.call_for_body_at_most_once("SendCommand", {{"Comment", "a"}}),
            R"({"Command": {"CommandId": "c-1"}})");
  EXPECT_EQ(http.requests.size(), 2u);
  try {
    ssm.call_for_body_at_most_once("SendCommand", {{"Comment", "b"}});
    ADD_FAILURE() << "an unanswered send must throw, not be sent again";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code(), kEndpointUnreachable);
  }
  EXPECT_EQ(http.requests.size(), 3u);
}
TEST_F(AwsJsonProtocolClientTest, ThrottlingIsRetriedWithBackoffAndFreshCredentials) {
  http.answer(400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})");
  http.answer(400, R"({"__type":"com.amazonaws.ssm#ThrottlingException","message":"Rate"})");
  http.answer(200, R"({"ok":true})");
  JsonProtocolClient ssm = client();
  EXPECT_EQ(ssm.call("ListCommands", nlohmann::json::object())["ok"], true);
  EXPECT_EQ(http.requests.size(), 3u);
  EXPECT_EQ(credentials.calls, 3);
  EXPECT_EQ(clock.slept(), milliseconds(100 + 200));
}

TEST_F(AwsJsonProtocolClientTest, ServerErrorsAndUnreachableEndpointsAreRetried) {
  http.answer(503, "<html>Service Unavailable</html>");
  http.fail("POST https://ssm.eu-west-1.amazonaws.com/: Couldn't connect to server");
  http.answer(500, R"({"__type":"InternalServerError","message":"oops"})");
  http.answer(200, "{}");
  JsonProtocolClient ssm = client();
  EXPECT_EQ(ssm.call("ListCommands", nlohmann::json::object()), nlohmann::json::object());
  EXPECT_EQ(http.requests.size(), 4u);
  EXPECT_EQ(clock.slept(), milliseconds(100 + 200 + 400));
}

TEST_F(AwsJsonProtocolClientTest, ServiceErrorBecomesAwsErrorWithoutRetry) {
  http.answer(
      400,
      R"({"__type":"com.amazonaws.ssm#InvalidInstanceId","message":"Instances not in a valid state"})");
  JsonProtocolClient ssm = client();
  const AwsError error = call_error(ssm);
  EXPECT_EQ(error.code(), "InvalidInstanceId");
  EXPECT_EQ(error.message(), "Instances not in a valid state");
  EXPECT_EQ(error.http_status(), 400);
  EXPECT_EQ(http.requests.size(), 1u);
  EXPECT_EQ(clock.slept(), milliseconds(0));
}

TEST_F(AwsJsonProtocolClientTest, CapitalMessageAndErrorTypeHeaderAreUnderstood) {
  http.answer(400, R"({"Message":"User is not authorized"})",
              {{"x-amzn-errortype", "AccessDeniedException:http://internal.amazon.com/"}});
  JsonProtocolClient ssm = client();
  const AwsError error = call_error(ssm);
  EXPECT_EQ(error.code(), "AccessDeniedException");
  EXPECT_EQ(error.message(), "User is not authorized");
}

TEST_F(AwsJsonProtocolClientTest, NonJsonErrorNamesTheStatusAndQuotesTheBody) {
  http.answer(403, "<html>\nForbidden by proxy\n</html>");
  JsonProtocolClient ssm = client();
  const AwsError error = call_error(ssm);
  EXPECT_EQ(error.code(), "HttpStatus403");
  EXPECT_EQ(error.message(), "HTTP 403: <html> Forbidden by proxy </html>");
  EXPECT_EQ(error.http_status(), 403);
}

TEST_F(AwsJsonProtocolClientTest, GivingUpReportsTheLastErrorAndTheAttempts) {
  for (int i = 0; i < 3; ++i) http.fail("POST https://ssm.eu-west-1.amazonaws.com/: Timeout");
  JsonProtocolClient ssm = client(RetryPolicy{.max_attempts = 3});
  const AwsError error = call_error(ssm);
  EXPECT_EQ(error.code(), "EndpointUnreachable");
  EXPECT_EQ(error.http_status(), 0);
  EXPECT_NE(error.message().find("no answer from ssm at https://ssm.eu-west-1.amazonaws.com"),
            std::string::npos)
      << error.message();
  EXPECT_NE(error.message().find("(gave up after 3 attempts)"), std::string::npos);
  EXPECT_EQ(http.requests.size(), 3u);
}

// AWS quotes the canonical request in SignatureDoesNotMatch, session token included.
TEST_F(AwsJsonProtocolClientTest, SecretsEchoedByTheServiceAreRedacted) {
  const std::string echoed = std::string("The request signature we calculated does not match. ") +
                             "The Canonical String for this request should have been 'POST\n/\n\n"
                             "x-amz-security-token:" +
                             kToken + "\n' secret " + kSecret;
  http.answer(403, nlohmann::json{{"__type", "SignatureDoesNotMatch"}, {"message", echoed}}.dump());
  JsonProtocolClient ssm = client();
  const AwsError error = call_error(ssm);  // checks what() for the secret and the token
  EXPECT_EQ(error.code(), "SignatureDoesNotMatch");
  EXPECT_NE(error.message().find("x-amz-security-token:<redacted>"), std::string::npos);
  EXPECT_EQ(error.message().find(kToken), std::string::npos);
  EXPECT_EQ(error.message().find(kSecret), std::string::npos);
}

TEST_F(AwsJsonProtocolClientTest, MissingCredentialsFailBeforeAnythingIsSent) {
  credentials.missing = true;
  JsonProtocolClient ssm = client();
  const AwsError error = call_error(ssm);
  EXPECT_EQ(error.code(), "NoCredentials");
  EXPECT_TRUE(http.requests.empty());
}

TEST_F(AwsJsonProtocolClientTest, AnswerThatIsNotJsonIsAnInvalidResponse) {
  http.answer(200, "<xml/>");
  JsonProtocolClient ssm = client();
  const AwsError error = call_error(ssm);
  EXPECT_EQ(error.code(), "InvalidResponse");
  EXPECT_EQ(http.requests.size(), 1u);
}

TEST_F(AwsJsonProtocolClientTest, EndpointPathIsKept) {
  http.answer(200, "{}");
  ServiceEndpoint endpoint = ssm_endpoint();
  endpoint.url = "http://127.0.0.1:4566/custom";
  JsonProtocolClient(endpoint, http, credentials, clock, random, {}, fixed_time)
      .call("ListCommands", nlohmann::json::object());
  EXPECT_EQ(http.requests.at(0).url, "http://127.0.0.1:4566/custom");
  EXPECT_EQ(header(http.requests.at(0), "Host"), "127.0.0.1:4566");
}

// --- endpoint resolution ---

EnvLookup env_of(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    const auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

TEST(AwsEndpointUrl, ServiceVariableIsTheUpperCasedServiceId) {
  EXPECT_EQ(service_endpoint_variable("ssm"), "AWS_ENDPOINT_URL_SSM");
  EXPECT_EQ(service_endpoint_variable("sts"), "AWS_ENDPOINT_URL_STS");
  EXPECT_EQ(service_endpoint_variable("ec2"), "AWS_ENDPOINT_URL_EC2");
  EXPECT_EQ(service_endpoint_variable("ACM PCA"), "AWS_ENDPOINT_URL_ACM_PCA");
}

TEST(AwsEndpointUrl, ResolutionOrder) {
  const std::map<std::string, std::string> all = {{"AWS_ENDPOINT_URL_SSM", "http://ssm.local:1/"},
                                                  {"AWS_ENDPOINT_URL", "http://all.local:2"}};
  EXPECT_EQ(endpoint_url_for("ssm", "eu-west-1", env_of(all), "http://explicit:3/"),
            "http://explicit:3");
  EXPECT_EQ(endpoint_url_for("ssm", "eu-west-1", env_of(all)), "http://ssm.local:1");
  EXPECT_EQ(endpoint_url_for("sts", "eu-west-1", env_of(all)), "http://all.local:2");
  EXPECT_EQ(endpoint_url_for("ssm", "eu-west-1", env_of({})),
            "https://ssm.eu-west-1.amazonaws.com");
  EXPECT_EQ(endpoint_url_for("ec2", "cn-north-1", env_of({})),
            "https://ec2.cn-north-1.amazonaws.com.cn");
}

TEST(AwsEndpointUrl, EmptyValuesCountAsUnset) {
  EXPECT_EQ(
      endpoint_url_for("ssm", "us-east-1",
                       env_of({{"AWS_ENDPOINT_URL_SSM", ""}, {"AWS_ENDPOINT_URL", "http://x"}}),
                       std::string()),
      "http://x");
}

TEST(AwsEndpointUrl, IgnoreConfiguredEndpointsSkipsTheEnvironmentButNotTheExplicitUrl) {
  const auto env = env_of({{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE"},
                           {"AWS_ENDPOINT_URL_SSM", "http://ssm.local:1"},
                           {"AWS_ENDPOINT_URL", "http://all.local:2"}});
  EXPECT_EQ(endpoint_url_for("ssm", "us-east-1", env), "https://ssm.us-east-1.amazonaws.com");
  EXPECT_EQ(endpoint_url_for("ssm", "us-east-1", env, "http://explicit:3"), "http://explicit:3");
  const auto not_true = env_of({{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"},
                                {"AWS_ENDPOINT_URL", "http://all.local:2"}});
  EXPECT_EQ(endpoint_url_for("ssm", "us-east-1", not_true), "http://all.local:2");
}

}  // namespace
}  // namespace drover::aws
