#include "cli/state/state_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <system_error>

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

TEST(StateDirFleetName, AcceptsLowerCaseDigitsDotDashUnderscore) {
  EXPECT_NO_THROW(check_fleet_name("tradebot"));
  EXPECT_NO_THROW(check_fleet_name("eu-west.prod_2"));
  for (const char* bad : {"", ".", "..", "Tradebot", "a/b", "../etc", "a b", "bot\n", "é"}) {
    EXPECT_THROW(check_fleet_name(bad), core::InputError) << bad;
  }
}

TEST(StateDir, CreatesFleetAndDeploysDirectoriesPrivate) {
  testing::TempDir tmp;
  const auto root = tmp.path() / "state" / "drover";
  const auto dir = StateDir::open(root, "tradebot");
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
  EXPECT_NO_THROW(StateDir::open(root, "tradebot"));
}

TEST(StateDir, KeepsTheModeOfADirectoryThatAlreadyExists) {
  testing::TempDir tmp;
  const auto shared = tmp.path() / "team";
  ASSERT_EQ(::mkdir(shared.c_str(), 0700), 0);
  ASSERT_EQ(::chmod(shared.c_str(), 0770), 0);
  StateDir::open(shared, "tradebot");
  EXPECT_EQ(mode_of(shared), 0770u) << "a shared state directory is the operator's choice";
  EXPECT_EQ(mode_of(shared / "tradebot"), 0700u);
}

TEST(StateDir, OpenForUsesTheEnvironment) {
  testing::TempDir tmp;
  const auto dir = StateDir::open_for(env_of({{"XDG_STATE_HOME", tmp.path().string()}}), "f1");
  EXPECT_EQ(dir.fleet_dir(), tmp.path() / "drover" / "f1");
  EXPECT_TRUE(fs::is_directory(dir.deploys_dir()));
}

TEST(StateDir, RefusesBadNamesAndFilesInTheWay) {
  testing::TempDir tmp;
  EXPECT_THROW(StateDir::open(tmp.path(), ".."), core::InputError);
  EXPECT_FALSE(fs::exists(tmp.path() / "deploys")) << "nothing created for a refused name";
  std::ofstream(tmp.path() / "blocked") << "x";
  EXPECT_THROW(StateDir::open(tmp.path() / "blocked", "tradebot"), std::system_error);
}

}  // namespace
}  // namespace drover::cli
