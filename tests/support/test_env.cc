#include "support/test_env.h"

#include <cstdlib>
#include <string>

namespace drover::testing {
namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

}  // namespace

std::string registry() {
  return env_or("DROVER_TEST_REGISTRY", "127.0.0.1:5000");
}
std::string redis_address() {
  return env_or("DROVER_TEST_REDIS", "127.0.0.1:6390");
}
std::string redis_host() {
  std::string address = redis_address();
  return address.substr(0, address.rfind(':'));
}
int redis_port() {
  std::string address = redis_address();
  return std::stoi(address.substr(address.rfind(':') + 1));
}
std::string image(const std::string& name, const std::string& tag) {
  return registry() + "/drover-test/" + name + ":" + tag;
}
std::string source_dir() {
  return DROVER_SOURCE_DIR;
}
std::string shared_data_dir() {
  return DROVER_SHARED_DATA_DIR;
}

}  // namespace drover::testing
