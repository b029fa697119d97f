// Region resolution order and validation.
#include <gtest/gtest.h>

#include "aws/aws_error.h"
#include "aws/region.h"
#include "aws_credential_test_support.h"

namespace drover::aws {
namespace {

using testing::env_of;
using testing::TempDir;

TEST(AwsRegionTest, ValidNames) {
  for (const char* good : {"eu-west-1", "us-gov-west-1", "ap-southeast-2", "cn-north-1",
                           "il-central-1", "us-isob-east-1"}) {
    EXPECT_TRUE(is_valid_region(good)) << good;
  }
  for (const char* bad :
       {"", "eu", "eu-west", "EU-WEST-1", "eu-west-1a", "eu-1", "eu-west-1/../x",
        "eu-west-1.evil.com", "e-west-1", "eu--west-1", "eu-west-", "eu west 1"}) {
    EXPECT_FALSE(is_valid_region(bad)) << bad;
  }
}

class AwsRegionResolveTest : public ::testing::Test {
 protected:
  ResolvedRegion resolve(std::map<std::string, std::string> env, RegionInputs inputs = {}) {
    env["HOME"] = home_.str();
    inputs.env = env_of(std::move(env));
    return resolve_region(inputs);
  }
  TempDir home_;
};

TEST_F(AwsRegionResolveTest, OrderOfSources) {
  home_.write(".aws/config",
              "[default]\nregion = eu-central-1\n[profile prod]\nregion = us-east-2\n");
  RegionInputs all;
  all.explicit_region = "ap-south-1";
  all.fleet_region = "eu-north-1";
  std::map<std::string, std::string> env{{"AWS_REGION", "us-west-2"},
                                         {"AWS_DEFAULT_REGION", "sa-east-1"}};

  auto region = resolve(env, all);
  EXPECT_EQ(region.name, "ap-south-1");
  EXPECT_EQ(region.source, "--region");

  all.explicit_region.reset();
  region = resolve(env, all);
  EXPECT_EQ(region.name, "us-west-2");
  EXPECT_EQ(region.source, "$AWS_REGION");

  env.erase("AWS_REGION");
  region = resolve(env, all);
  EXPECT_EQ(region.name, "sa-east-1");
  EXPECT_EQ(region.source, "$AWS_DEFAULT_REGION");

  env.erase("AWS_DEFAULT_REGION");
  region = resolve(env, all);
  EXPECT_EQ(region.name, "eu-central-1");
  EXPECT_EQ(region.source, "profile default in " + home_.str() + "/.aws/config");

  all.profile = "prod";
  EXPECT_EQ(resolve(env, all).name, "us-east-2");
  all.profile.reset();
  env["AWS_PROFILE"] = "prod";
  EXPECT_EQ(resolve(env, all).name, "us-east-2");

  env["AWS_PROFILE"] = "missing";
  region = resolve(env, all);
  EXPECT_EQ(region.name, "eu-north-1");
  EXPECT_EQ(region.source, "drover.toml [fleet] region");

  all.fleet_region.reset();
  region = resolve(env, all);
  EXPECT_EQ(region.name, "eu-west-1");
  EXPECT_EQ(region.source, "default");
}

TEST_F(AwsRegionResolveTest, EmptyValuesAreUnset) {
  RegionInputs inputs;
  inputs.explicit_region = "";
  inputs.fleet_region = "";
  EXPECT_EQ(resolve({{"AWS_REGION", ""}, {"AWS_DEFAULT_REGION", ""}}, inputs).name, "eu-west-1");
}

TEST_F(AwsRegionResolveTest, BadValueIsAnErrorNamingItsSource) {
  try {
    resolve({{"AWS_REGION", "eu-west-1.attacker.example"}, {"AWS_DEFAULT_REGION", "eu-west-1"}});
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code(), "InvalidRegion");
    EXPECT_NE(e.message().find("$AWS_REGION gives region \"eu-west-1.attacker.example\""),
              std::string::npos)
        << e.message();
  }
  home_.write(".aws/config", "[default]\nregion = Ireland\n");
  try {
    resolve({});
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_NE(e.message().find("profile default in"), std::string::npos) << e.message();
  }
  RegionInputs inputs;
  inputs.explicit_region = "eu-west-1\n";
  try {
    resolve({}, inputs);
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_NE(e.message().find("unprintable"), std::string::npos) << e.message();
  }
}

}  // namespace
}  // namespace drover::aws
