#include "support/auth_registry.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "util/base64.h"
#include "util/http/curl_http_client.h"

namespace drover::testing {

namespace fs = std::filesystem;

std::string auth_registry() {
  const char* value = std::getenv("DROVER_TEST_AUTH_REGISTRY");
  return value && *value ? value : "127.0.0.1:5001";
}

std::string auth_image(const std::string& tag) {
  return auth_registry() + "/drover-test/bot:" + tag;
}

bool auth_registry_running() {
  CurlHttpClient http;
  HttpRequest request;
  request.url = "http://" + auth_registry() + "/v2/";
  request.timeout = std::chrono::seconds(5);
  return http.send(request).status == 401;
}

fs::path write_docker_config(const fs::path& dir, const std::string& json) {
  fs::create_directories(dir);
  std::ofstream(dir / "config.json") << json;
  return dir;
}

std::string auths_config(const std::string& user, const std::string& password) {
  return fmt::format(R"({{"auths": {{"{}": {{"auth": "{}"}}}}}})", auth_registry(),
                     base64_encode(user + ":" + password));
}

std::string helper_config() {
  return fmt::format(R"({{"credHelpers": {{"{}": "drover-test"}}}})", auth_registry());
}

std::string helper_dir() {
  return std::string(DROVER_SOURCE_DIR) + "/tests/support";
}

std::vector<std::string> files_containing(const fs::path& dir, const std::string& needle) {
  std::vector<std::string> found;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(dir, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file(error)) continue;
    std::ifstream file(it->path(), std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    if (text.str().find(needle) != std::string::npos) found.push_back(it->path().string());
  }
  return found;
}

}  // namespace drover::testing
