#include <gtest/gtest.h>

#include <random>
#include <set>

#include "core/deploy_id.h"

namespace drover::core {
namespace {

class SeededRandom final : public Random {
 public:
  explicit SeededRandom(unsigned seed) : engine_(seed) {}
  std::int64_t uniform(std::int64_t lo, std::int64_t hi) override {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(engine_);
  }

 private:
  std::mt19937_64 engine_;
};

TEST(CoreDeployId, IsAVersion4Uuid) {
  SeededRandom random(1);
  std::set<std::string> seen;
  for (int i = 0; i < 500; ++i) {
    const auto id = make_deploy_id(random);
    ASSERT_TRUE(is_deploy_id(id)) << id;
    EXPECT_EQ(id[14], '4');
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 500u);
}

TEST(CoreDeployId, RecognisesTheGuidesId) {
  EXPECT_TRUE(is_deploy_id("6ca32b16-367e-4372-8a33-6dd9442ed2c3"));
  EXPECT_FALSE(is_deploy_id("6CA32B16-367e-4372-8a33-6dd9442ed2c3"));
  EXPECT_FALSE(is_deploy_id("6ca32b16-367e-4372-8a33-6dd9442ed2c"));
  EXPECT_FALSE(is_deploy_id("6ca32b16_367e-4372-8a33-6dd9442ed2c3"));
  EXPECT_FALSE(is_deploy_id("../../etc/passwd-4372-8a33-6dd9442ed2"));
  EXPECT_FALSE(is_deploy_id(""));
}

}  // namespace
}  // namespace drover::core
