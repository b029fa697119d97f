// What drover refuses before any agent runs (bad arguments, a bad configuration) and the
// fleet lock, all with the real binary against containers on the real engine.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/lock/deploy_lock.h"
#include "cli/lock/operator_identity.h"
#include "support/drover_fleet.h"
#include "support/test_env.h"

namespace drover::testing {
namespace {

struct BadInput {
  std::vector<std::string> args;
  std::vector<std::string> message;  // fragments the error must contain
};

class DroverInputIT : public ::testing::Test {
 protected:
  void SetUp() override {
    fleet.run_all("v1");
    before = fleet.snapshot();
  }

  // Nothing ran: every bot is the container it was, never restarted, and no journal exists.
  void expect_nothing_touched() {
    for (const auto& [id, info] : before) {
      auto now = fleet.bot(id);
      EXPECT_EQ(now.id, info.id) << "bot" << id << " was replaced";
      EXPECT_EQ(now.state.started_at, info.state.started_at) << "bot" << id << " restarted";
    }
    EXPECT_TRUE(fleet.journal_files().empty()) << "a refused deploy was journaled";
    EXPECT_FALSE(std::filesystem::exists(fleet.lock_file())) << "a refused deploy left a lock";
  }

  void expect_refused(const BadInput& input) {
    auto run = fleet.drover(input.args);
    std::string shown;
    for (const auto& arg : input.args) shown += "[" + arg + "] ";
    EXPECT_EQ(run.exit_code, 2) << shown << "\n" << run.out << run.err;
    EXPECT_TRUE(run.err.starts_with("drover: error: ")) << shown << "\n" << run.err;
    EXPECT_EQ(first_missing(run.err, input.message), "") << shown << "\n" << run.err;
    EXPECT_EQ(run.out.find("command: "), std::string::npos) << shown << " started a deploy";
  }

  DroverFleet fleet{
      DROVER_BIN, "e2e-input", {{"host-1", {8501, 8502}}, {"staging-1", {8503}, "staging"}}};
  std::map<int, docker::ContainerInfo> before;
};

TEST_F(DroverInputIT, MalformedImageReferencesAreRefusedWithTheReason) {
  for (const auto& input : std::vector<BadInput>{
           {{"deploy", "all", "routine", "v2;rm -rf /", "-y"},
            {"image reference", "shell character ';'"}},
           {{"deploy", "all", "routine", "bad image", "-y"}, {"image reference", "whitespace"}},
           {{"deploy", "all", "routine", "v2\nrm -rf /", "-y"}, {"image reference", "line break"}},
           {{"deploy", "all", "routine", registry() + "/Drover-Test/bot:v2", "-y"},
            {"image reference", "upper-case", "'Drover-Test'", "drover-test"}},
           {{"deploy", "bot", "8501", registry() + "/drover-test/bot:v2$(id)", "-y"},
            {"image reference", "'$'"}},
           {{"verify", "all", "bad image"}, {"image reference", "whitespace"}},
       }) {
    expect_refused(input);
  }
  expect_nothing_touched();
}

TEST_F(DroverInputIT, UnknownBotsTargetsAndSpeedsAreRefusedWithTheReason) {
  for (const auto& input : std::vector<BadInput>{
           {{"deploy", "bot", "99999", "v2", "-y"}, {"bot 99999 is not in fleet e2e-input"}},
           {{"deploy", "prod", "v2", "-y"}, {"'prod' is not a target", "staging, bot <ID> or all"}},
           {{"deploy", "bot", "8501", "immediate", "v2", "-y"},
            {"immediate is only for 'all'", "use routine or fast"}},
           {{"deploy", "staging", "immediate", "v2", "-y"}, {"immediate is only for 'all'"}},
           {{"deploy", "all", "8501", "v2", "-y"}, {"only goes with target bot"}},
           {{"deploy", "bot", "-y"}, {"bot id is missing"}},
           {{"verify", "all", "routine", "v2"}, {"verify takes no speed"}},
       }) {
    expect_refused(input);
  }
  // Not a number, or an unknown speed word: refused before anything runs (the message is
  // checked by the disabled test below; see its comment).
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"deploy", "bot", "12a", "v2", "-y"}, {"deploy", "all", "turbo", "v2", "-y"}}) {
    auto run = fleet.drover(args);
    EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  }
  expect_nothing_touched();
}

// A bot id that is not a number, or a speed word drover does not know, is named as such
// (not mistaken for the image reference).
TEST_F(DroverInputIT, ANonNumericBotIdOrUnknownSpeedIsNamedInTheMessage) {
  for (const auto& input : std::vector<BadInput>{
           {{"deploy", "bot", "12a", "v2", "-y"}, {"12a", "bot id"}},
           {{"deploy", "bot", "12a", "-y"}, {"12a", "bot id"}},
           {{"deploy", "all", "turbo", "v2", "-y"}, {"turbo", "speed"}},
       }) {
    expect_refused(input);
  }
}

TEST_F(DroverInputIT, AConfigWithAnUnknownKeyIsRefusedNamingFileAndKey) {
  auto text = fleet.config_text();
  text.replace(text.find("[fleet]\n"), 8, "[fleet]\ncolour = \"blue\"\n");
  auto bad = fleet.write_file("bad.toml", text);
  auto run = fleet.drover({"deploy", "all", "routine", "v2", "-y"}, bad);
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_EQ(first_missing(run.err, {"bad.toml", "colour"}), "") << run.err;

  auto typo = fleet.config_text();
  typo.replace(typo.find("settle = 2"), 10, "setle = 2");
  bad = fleet.write_file("typo.toml", typo);
  run = fleet.drover({"deploy", "all", "routine", "v2", "-y"}, bad);
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_EQ(first_missing(run.err, {"typo.toml", "setle", "settle"}), "") << run.err;
  expect_nothing_touched();
}

// ---- the fleet lock ----

// A lock as a drover on this machine writes it: with this machine's id, so a dead pid in it
// is provably stale (a lock without one, or another machine's, always looks live).
void write_lock(const std::filesystem::path& file, pid_t pid, const std::string& deploy_id) {
  std::filesystem::create_directories(file.parent_path());
  nlohmann::json lock = {{"v", 1},
                         {"holder", "tester@" + cli::current_operator().hostname},
                         {"pid", pid},
                         {"started_at", "2026-06-12T10:00:00Z"},
                         {"deploy_id", deploy_id},
                         {"command", "drover deploy all routine -y"}};
  if (auto machine = cli::read_machine_id(); !machine.empty()) lock["machine"] = machine;
  std::ofstream(file) << lock.dump() << "\n";
}

// A pid that surely belongs to no process: a child of ours, already reaped.
pid_t dead_pid() {
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  int status = 0;
  waitpid(pid, &status, 0);
  return pid;
}

constexpr const char* kHolderDeploy = "6ca32b16-367e-4372-8a33-6dd9442ed2c3";

TEST_F(DroverInputIT, ALiveLockRefusesTheDeployNamingItsHolder) {
  write_lock(fleet.lock_file(), getpid(), kHolderDeploy);
  auto run = fleet.drover({"deploy", "all", "routine", "v2", "-y"});
  EXPECT_EQ(run.exit_code, 7) << run.out << run.err;
  EXPECT_EQ(first_missing(run.err, {"another deploy holds the lock", "tester@",
                                    "pid " + std::to_string(getpid()), kHolderDeploy,
                                    "drover unlock --force"}),
            "")
      << run.err;
  // Without --force `drover unlock` leaves a live lock alone.
  auto unlock = fleet.drover({"unlock"});
  EXPECT_EQ(unlock.exit_code, 7) << unlock.out << unlock.err;
  EXPECT_TRUE(std::filesystem::exists(fleet.lock_file()));
  for (const auto& [id, info] : before) EXPECT_EQ(fleet.bot(id).id, info.id);
  EXPECT_TRUE(fleet.journal_files().empty());
}

TEST_F(DroverInputIT, AStaleLockIsReportedAndDroverUnlockBreaksItSayingWhoseItWas) {
  if (cli::read_machine_id().empty()) {
    GTEST_SKIP() << "this machine has no /etc/machine-id: no lock is provably stale here";
  }
  auto pid = dead_pid();
  write_lock(fleet.lock_file(), pid, kHolderDeploy);
  auto run = fleet.drover({"deploy", "all", "routine", "v2", "-y"});
  EXPECT_EQ(run.exit_code, 7) << run.out << run.err;
  EXPECT_EQ(first_missing(run.err, {"the lock is stale", "tester@", "pid " + std::to_string(pid),
                                    kHolderDeploy, "`drover unlock`"}),
            "")
      << run.err;
  for (const auto& [id, info] : before) EXPECT_EQ(fleet.bot(id).id, info.id);
  EXPECT_TRUE(fleet.journal_files().empty());

  auto unlock = fleet.drover({"unlock"});
  EXPECT_EQ(unlock.exit_code, 0) << unlock.out << unlock.err;
  EXPECT_EQ(first_missing(unlock.out, {"broke the lock of fleet e2e-input", "held by tester@",
                                       "pid " + std::to_string(pid), kHolderDeploy}),
            "")
      << unlock.out;
  EXPECT_FALSE(std::filesystem::exists(fleet.lock_file()));
  auto again = fleet.drover({"unlock"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("was not locked"), std::string::npos) << again.out;

  // The fleet is free again: a deploy goes through and releases the lock when it ends.
  auto deploy = fleet.drover({"deploy", "bot", "8502", "v2", "-y", "--straggler-wait", "3"});
  EXPECT_EQ(deploy.exit_code, 0) << deploy.out << deploy.err;
  EXPECT_EQ(fleet.version(8502), "v2");
  EXPECT_FALSE(std::filesystem::exists(fleet.lock_file()));
}

}  // namespace
}  // namespace drover::testing
