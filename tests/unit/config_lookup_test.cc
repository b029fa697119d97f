#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli/config/drover_toml.h"
#include "cli/config/lookup.h"
#include "config_test_support.h"
#include "core/input_error.h"

namespace drover::cli {
namespace {

namespace fs = std::filesystem;
using testing::contains;

// A temporary working directory with DROVER_CONFIG unset; both restored afterwards.
class ConfigLookup : public ::testing::Test {
 protected:
  void SetUp() override {
    old_cwd_ = fs::current_path();
    if (const char* env = std::getenv("DROVER_CONFIG")) old_env_ = env;
    unsetenv("DROVER_CONFIG");
    std::string pattern = (fs::temp_directory_path() / "drover-config-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    fs::current_path(dir_);
  }
  void TearDown() override {
    fs::current_path(old_cwd_);
    if (old_env_) {
      setenv("DROVER_CONFIG", old_env_->c_str(), 1);
    } else {
      unsetenv("DROVER_CONFIG");
    }
    fs::remove_all(dir_);
  }

  std::string write(const std::string& name, const std::string& fleet_name) {
    auto path = (dir_ / name).string();
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path) << "[fleet]\nname = \"" << fleet_name
                        << "\"\nimage = \"r/x\"\n[[hosts]]\nname = \"h\"\nbots = [1]\n";
    return path;
  }

  static std::string refusal(const std::optional<std::string>& flag) {
    try {
      locate_config(flag);
    } catch (const core::InputError& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;

 private:
  fs::path old_cwd_;
  std::optional<std::string> old_env_;
};

TEST_F(ConfigLookup, TheFlagWinsOverTheEnvironmentWhichWinsOverTheCurrentDirectory) {
  write("drover.toml", "here");
  auto from_env = write("env/fleet.toml", "from-env");
  auto from_flag = write("flag/fleet.toml", "from-flag");

  EXPECT_EQ(load_config(std::nullopt).fleet.name(), "here");
  EXPECT_EQ(locate_config(std::nullopt).path, "drover.toml");
  EXPECT_EQ(locate_config(std::nullopt).how, "./drover.toml");

  setenv("DROVER_CONFIG", from_env.c_str(), 1);
  EXPECT_EQ(load_config(std::nullopt).fleet.name(), "from-env");
  EXPECT_EQ(locate_config(std::nullopt).how, "$DROVER_CONFIG");

  EXPECT_EQ(load_config(from_flag).fleet.name(), "from-flag");
  EXPECT_EQ(locate_config(from_flag).how, "--config");
  EXPECT_EQ(load_config(from_flag).source, from_flag);
}

TEST_F(ConfigLookup, AnEmptyEnvironmentVariableCountsAsUnset) {
  write("drover.toml", "here");
  setenv("DROVER_CONFIG", "", 1);
  EXPECT_EQ(load_config(std::nullopt).fleet.name(), "here");
}

TEST_F(ConfigLookup, AGivenFileThatIsMissingIsAnErrorNotAFallThrough) {
  write("drover.toml", "here");
  EXPECT_EQ(refusal(std::string("nope.toml")),
            "--config nope.toml: no such file (check the path; without --config drover reads "
            "$DROVER_CONFIG, then ./drover.toml)");
  setenv("DROVER_CONFIG", "/nonexistent/fleet.toml", 1);
  EXPECT_EQ(refusal(std::nullopt),
            "$DROVER_CONFIG: names /nonexistent/fleet.toml: no such file (fix or unset "
            "DROVER_CONFIG, or pass --config FILE (it takes precedence))");
  setenv("DROVER_CONFIG", dir_.c_str(), 1);
  EXPECT_TRUE(contains(refusal(std::nullopt), "is a directory, not a file"));
}

TEST_F(ConfigLookup, NoFileAnywhereListsWhatWasTriedAndHowToCreateOne) {
  auto message = refusal(std::nullopt);
  EXPECT_TRUE(contains(message,
                       "configuration: no drover.toml found; tried: --config (not "
                       "given), $DROVER_CONFIG (not set), " +
                           (fs::current_path() / "drover.toml").string() + " (no such file)"));
  EXPECT_TRUE(contains(message, "demo/drover.toml is a complete example"));
  EXPECT_TRUE(contains(message, "--config FILE"));
}

}  // namespace
}  // namespace drover::cli
