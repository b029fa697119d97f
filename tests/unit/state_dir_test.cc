#include "cli/state/state_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <system_error>

#include "cli/state/storage_error.h"
#include "core/input_error.h"
#include "state_test_dir.h"

namespace drover::cli {
namespace {

namespace fs = std::filesystem;

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto found = vars.find(name);
    if (found == vars.end()) return std::nullopt;
    return found->second;
  };
}

unsigned mode_of(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(StateDirRoot, DroverStateDirThenXdgThenHome) {
  const std::map<std::string, std::string> all = {
      {"DROVER_STATE_DIR", "/srv/drover"}, {"XDG_STATE_HOME", "/x/state"}, {"HOME", "/home/al"}};
  EXPECT_EQ(state_root(env_of(all)), fs::path("/srv/drover"));
  EXPECT_EQ(state_root(env_of({{"XDG_STATE_HOME", "/x/state"}, {"HOME", "/home/al"}})),
            fs::path("/x/state/drover"));
  EXPECT_EQ(state_root(env_of({{"HOME", "/home/al"}})), fs::path("/home/al/.local/state/drover"));
}

TEST(StateDirRoot, EmptyIsUnsetAndRelativeXdgIsIgnored) {
  EXPECT_EQ(state_root(env_of({{"DROVER_STATE_DIR", ""}, {"HOME", "/home/al"}})),
            fs::path("/home/al/.local/state/drover"));
  EXPECT_EQ(state_root(env_of({{"XDG_STATE_HOME", "rel/state"}, {"HOME", "/home/al"}})),
            fs::path("/home/al/.local/state/drover"));
}

TEST(StateDirRoot, NothingSetIsAnInputErrorWithAFix) {
  try {
    state_root(env_of({{"HOME", ""}}));
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.where(), "state directory");
    EXPECT_NE(e.fix().find("DROVER_STATE_DIR"), std::string::npos);
  }
}

TEST(StateDir, CreatesFleetAndDeploysDirectoriesPrivate) {
  testing::TempDir tmp;
  const auto root = tmp.path() / "state" / "drover";
  const auto dir = StateDir::open(root, core::testfleets::small_fleet());
  EXPECT_EQ(dir.fleet(), "tradebot");
  EXPECT_EQ(dir.fleet_dir(), root / "tradebot");
  EXPECT_EQ(dir.lock_file(), root / "tradebot" / "lock");
  EXPECT_EQ(dir.journal_file("6ca32b16-367e-4372-8a33-6dd9442ed2c3"),
            root / "tradebot" / "deploys" / "6ca32b16-367e-4372-8a33-6dd9442ed2c3.jsonl");
  for (const auto& path :
       {tmp.path() / "state", root, root / "tradebot", root / "tradebot" / "deploys"}) {
    EXPECT_TRUE(fs::is_directory(path)) << path;
    EXPECT_EQ(mode_of(path), 0700u) << path;
  }
  // Opening again is fine and changes nothing.
  EXPECT_NO_THROW(StateDir::open(root, core::testfleets::small_fleet()));
}

TEST(StateDir, KeepsTheModeOfADirectoryThatAlreadyExists) {
  testing::TempDir tmp;
  const auto shared = tmp.path() / "team";
  ASSERT_EQ(::mkdir(shared.c_str(), 0700), 0);
  ASSERT_EQ(::chmod(shared.c_str(), 0770), 0);
  StateDir::open(shared, core::testfleets::small_fleet());
  EXPECT_EQ(mode_of(shared), 0770u) << "a shared state directory is the operator's choice";
  EXPECT_EQ(mode_of(shared / "tradebot"), 0700u);
}

TEST(StateDir, OpenForUsesTheEnvironment) {
  testing::TempDir tmp;
  const core::Fleet f1("f1", {{"host-1", std::nullopt, {539}, core::HostGroup::production}});
  const auto dir = StateDir::open_for(env_of({{"XDG_STATE_HOME", tmp.path().string()}}), f1);
  EXPECT_EQ(dir.fleet_dir(), tmp.path() / "drover" / "f1");
  EXPECT_TRUE(fs::is_directory(dir.deploys_dir()));
}

// A bad fleet name never gets this far: core::check_fleet_name refuses it when drover.toml is
// loaded (core_fleet_test.cc, config_file_test.cc, and cli_commands_test.cc, which shows that
// nothing is created for it).
TEST(StateDir, RefusesFilesInTheWay) {
  testing::TempDir tmp;
  std::ofstream(tmp.path() / "blocked") << "x";
  EXPECT_THROW(StateDir::open(tmp.path() / "blocked", core::testfleets::small_fleet()),
               StorageError);
}

}  // namespace
}  // namespace drover::cli
