#pragma once
// Where the test services live. scripts/test-services.sh starts them on these addresses;
// the environment may move them (DROVER_TEST_REGISTRY, DROVER_TEST_REDIS).
#include <string>

namespace drover::testing {

/// host:port of the local docker-registry (default 127.0.0.1:5000).
std::string registry();
/// host:port of the test redis-server (default 127.0.0.1:6390).
std::string redis_address();
/// A test image reference in the local registry, e.g. image("bot", "v1").
std::string image(const std::string& name, const std::string& tag);
/// The repository's source directory.
std::string source_dir();
/// ../shared/data, the reference data the wire formats are tested against.
std::string shared_data_dir();

}  // namespace drover::testing
