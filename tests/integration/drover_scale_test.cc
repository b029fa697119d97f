// drover at fleet scale over the local transport, with the stub agent (tests/support/
// stub-agent: drover-agent's protocol without Docker, `version` from the real agent) so that a
// thousand hosts fit on one machine. What is under test is drover, not the agent.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "support/drover_fleet.h"
#include "support/test_env.h"

namespace drover::testing {
namespace {

// Issue 11, point 3: a 1,000-host deploy at `immediate` (storm window 0: every host starts at
// once) under the common `ulimit -n 1024`, set as both limits so that drover cannot raise its
// own. Each running agent holds several of drover's descriptors; drover runs as many at once
// as its limit allows and the rest wait for a free slot, so every host succeeds. (Before, the
// agents past the limit could not start and their hosts failed.) Bot ids 30000-30999, which
// have no containers.
TEST(DroverScaleIT, AThousandHostImmediateDeployFitsInADescriptorLimitOf1024) {
  std::vector<HostSpec> hosts;
  for (int i = 0; i < 1000; ++i) hosts.push_back({fmt::format("h{:04}", i), {30000 + i}});
  DroverFleet fleet(DROVER_BIN, "scale-1000", hosts,
                    std::string(kQuickSpeeds) + "\n[speeds.immediate]\njitter = 0\n");
  auto config = fleet.config_text();
  const std::string transport = "transport = \"local\"\n";
  config.insert(config.find(transport) + transport.size(),
                fmt::format("agent_path = \"{}/tests/support/stub-agent\"\n", DROVER_SOURCE_DIR));
  const auto config_path = fleet.write_file("stub.toml", config);
  const auto calls_log = (fleet.dir() / "agent-calls.log").string();
  fleet.set_env("DROVER_STUB_REAL_AGENT", DROVER_AGENT_BIN);
  fleet.set_env("DROVER_STUB_SWAP_SECONDS", "1");
  fleet.set_env("DROVER_STUB_LOG", calls_log);

  auto argv =
      fleet.argv({"deploy", "all", "immediate", "v2", "-y", "--straggler-wait", "0"}, config_path);
  argv.insert(argv.begin(), {"prlimit", "--nofile=1024:1024", "--"});
  ProcessOptions options;
  options.extra_env = fleet.env();
  options.timeout = std::chrono::minutes(10);
  const auto run = PosixProcessRunner().run(argv, options);

  const auto tail = run.out.substr(run.out.size() > 3000 ? run.out.size() - 3000 : 0) + run.err;
  EXPECT_EQ(run.exit_code, 0) << tail;
  EXPECT_NE(run.out.find("--- result: Success (1000/1000, 0 errors)"), std::string::npos) << tail;
  EXPECT_EQ(run.out.find("Too many open files"), std::string::npos) << tail;
  std::map<std::string, int> swaps;
  std::ifstream log(calls_log);
  for (std::string line; std::getline(log, line);) {
    if (line.rfind("swap ", 0) == 0) ++swaps[line.substr(5)];
  }
  EXPECT_EQ(swaps.size(), 1000u) << "every host's bot was swapped";
  for (const auto& [bots, count] : swaps) EXPECT_EQ(count, 1) << "bot " << bots;
}

}  // namespace
}  // namespace drover::testing
