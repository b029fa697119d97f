// Every endpoint the client calls must exist, with that method, in the Engine API v1.41
// specification, so a typo or an endpoint newer than the API version we pin fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "docker/engine_endpoints.h"
#include "support/test_env.h"

namespace drover::docker {
namespace {

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The spec's `paths:` lists each path as "  /path:" followed by its methods as "    get:".
bool declares(const std::vector<std::string>& spec, const Endpoint& endpoint) {
  const std::string path_line = "  " + std::string(endpoint.path) + ":";
  std::string method_line = "    " + std::string(endpoint.method) + ":";
  std::transform(method_line.begin(), method_line.end(), method_line.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  auto at = std::find(spec.begin(), spec.end(), path_line);
  if (at == spec.end()) return false;
  for (++at; at != spec.end(); ++at) {
    if (at->rfind("  /", 0) == 0 || (!at->empty() && at->front() != ' ')) return false;
    if (*at == method_line) return true;
  }
  return false;
}

TEST(DockerEngineSpec, EveryEndpointTheClientUsesIsDeclared) {
  const auto spec =
      read_lines(drover::testing::shared_data_dir() + "/docker/engine-api-v1.41.yaml");
  ASSERT_GT(spec.size(), 1000u) << "the Engine API specification was not found";
  ASSERT_NE(std::find(spec.begin(), spec.end(), "  version: \"1.41\""), spec.end());
  for (const auto& endpoint : endpoints::kAll) {
    EXPECT_TRUE(declares(spec, endpoint)) << endpoint.method << " " << endpoint.path;
  }
}

TEST(DockerEngineSpec, TheCheckRejectsWhatTheSpecDoesNotDeclare) {
  const auto spec =
      read_lines(drover::testing::shared_data_dir() + "/docker/engine-api-v1.41.yaml");
  EXPECT_FALSE(declares(spec, Endpoint{"GET", "/containers/{id}/nope"}));
  EXPECT_FALSE(declares(spec, Endpoint{"DELETE", "/_ping"}));
}

}  // namespace
}  // namespace drover::docker
