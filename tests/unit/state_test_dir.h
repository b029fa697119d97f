#pragma once
// A fresh temporary directory per test for the state directory, journal and lock tests
// (support/temp_dir.h), and a sample plan of the small fleet.
#include <string>

#include "core/deploy_plan.h"
#include "core_test_fleets.h"
#include "support/temp_dir.h"

namespace drover::cli::testing {

using drover::testing::TempDir;

/// A routine `all` deploy of the small fleet (host-1, host-2), pinned to a digest.
inline core::DeployPlan sample_plan(const std::string& deploy_id,
                                    const std::string& created_at = "2026-06-12T10:00:00Z",
                                    const core::Target& target = core::Target::all()) {
  auto plan = core::make_plan(core::testfleets::small_fleet(), target, core::SpeedName::routine, {},
                              core::parse_image_reference("127.0.0.1:5000/tradebot:v2"), deploy_id,
                              created_at);
  plan.pinned_image = "127.0.0.1:5000/tradebot@sha256:" + std::string(64, 'e');
  return plan;
}

}  // namespace drover::cli::testing
