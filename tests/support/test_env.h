#pragma once
// Where the test services live. scripts/test-services.sh starts them on these addresses;
// the environment may move them (DROVER_TEST_REGISTRY, DROVER_TEST_REDIS).
// Images (all FROM scratch, see demo/images/README.md): busybox:latest (sh -c works; as PID 1 it
// ignores SIGTERM, so a stop waits its full timeout), bot:v1, bot:v2 (healthy ~1-2 s after start,
// stop at once on SIGTERM), bot:nohealth (v2 without HEALTHCHECK), bot:broken (exits 3 at once),
// bot:neverhealthy (never logs in, exits 3 after 3 s), bot:v1-rollback (v1 under an image id only
// the rollback test uses, so that it can be pruned while the demo runs bot:v1).
// Bot containers reach redis_address() only with host networking (it listens on loopback).
#include <string>

namespace drover::testing {

/// host:port of the local docker-registry (default 127.0.0.1:5000).
std::string registry();
/// host:port of the test redis-server (default 127.0.0.1:6390).
std::string redis_address();
/// The host and the port of redis_address(), for clients that take them apart.
std::string redis_host();
int redis_port();
/// A test image reference in the local registry, e.g. image("bot", "v1").
std::string image(const std::string& name, const std::string& tag);
/// The repository's source directory.
std::string source_dir();
/// ../shared/data, the reference data the wire formats are tested against.
std::string shared_data_dir();

}  // namespace drover::testing
