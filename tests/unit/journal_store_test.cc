#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <system_error>

#include "cli/state/deploy_journal.h"
#include "core/input_error.h"
#include "state_test_dir.h"
#include "support/file_size_limit.h"

namespace drover::cli {
namespace {

namespace fs = std::filesystem;
using core::FailureKind;
using core::HostOutcome;
using core::JournalHost;
using std::chrono::seconds;

const std::string kId1 = "6ca32b16-367e-4372-8a33-6dd9442ed2c3";
const std::string kId2 = "0b8e2d1f-1c2a-4c3b-9d4e-5f6a7b8c9d0e";
const std::string kId3 = "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b";
const DeployOrigin kAlice{"alice@ops-1", "drover deploy all routine -y"};

std::string file_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void append_raw(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::app) << text;
}

class JournalStore : public ::testing::Test {
 protected:
  testing::TempDir tmp;
  StateDir dir = StateDir::open(tmp.path(), core::testfleets::small_fleet());
};

TEST_F(JournalStore, AppendsWholeLinesAndReadsThemBack) {
  const auto plan = testing::sample_plan(kId1);
  auto journal = DeployJournal::create(dir, plan, kAlice);
  EXPECT_EQ(journal.path(), dir.journal_file(kId1));
  const JournalHost ok{
      {"host-1", HostOutcome::success("3 bot(s) on the new image"), seconds(42), {}}};
  const JournalHost bad{{"host-2",
                         HostOutcome::failure(FailureKind::bot_failed, "bot542 rolled back"),
                         seconds(40),
                         {}}};
  core::JournalVerification verification;
  verification.report.total = 6;
  verification.report.on_version = {539, 540, 541};
  verification.report.stale = {542, 543, 544};
  core::JournalResult result;
  result.result.status = core::RolloutStatus::failed;
  result.result.total = 2;
  result.result.succeeded = 1;
  result.result.failed = 1;
  result.result.failures = {bad.record};
  result.exit_code = core::ExitCode::stale_or_down;
  result.finished_at = "2026-06-12T10:03:00Z";

  std::size_t lines = 1;
  for (const core::JournalRecord& record :
       std::initializer_list<core::JournalRecord>{ok, bad, verification, result}) {
    journal.append(record);
    ++lines;
    const auto text = file_text(journal.path());
    EXPECT_EQ(text.back(), '\n');
    EXPECT_EQ(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')), lines);
  }

  const auto stored = load_deploy(dir, kId1);
  EXPECT_EQ(stored.deploy_id, kId1);
  EXPECT_EQ(stored.origin, kAlice);
  EXPECT_TRUE(stored.warnings.empty());
  EXPECT_EQ(stored.replay.plan, plan);
  EXPECT_EQ(stored.replay.hosts, (std::vector<core::HostRecord>{ok.record, bad.record}));
  EXPECT_EQ(stored.replay.verification, verification);
  EXPECT_EQ(stored.replay.result, result);
  EXPECT_FALSE(stored.replay.torn_tail);
}

TEST_F(JournalStore, FilesArePrivateAndNeverOverwritten) {
  DeployJournal::create(dir, testing::sample_plan(kId1), kAlice);
  struct stat st {};
  ASSERT_EQ(::stat(dir.journal_file(kId1).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(dir.origin_file(kId1).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_THROW(DeployJournal::create(dir, testing::sample_plan(kId1), kAlice), StorageError);
  EXPECT_THROW(DeployJournal::create(dir, testing::sample_plan("../x"), kAlice),
               std::invalid_argument);
}

TEST_F(JournalStore, ARecordThatDoesNotFitIsCutBackOffNotLeftTorn) {
  auto journal = DeployJournal::create(dir, testing::sample_plan(kId1), kAlice);
  const auto before = file_text(journal.path());
  const JournalHost ok{{"host-1", HostOutcome::success("3 bot(s) on the new image"), seconds(42)}};
  {
    // Room for 20 more bytes: the write takes them, then the "disk" is full.
    drover::testing::FileSizeLimit full(before.size() + 20);
    try {
      journal.append(ok);
      FAIL() << "the append should have failed";
    } catch (const StorageError& e) {
      EXPECT_EQ(e.file(), journal.path());
      EXPECT_EQ(e.error(), EFBIG);
      EXPECT_TRUE(e.problem().starts_with("cannot write: ")) << e.problem();
      EXPECT_TRUE(e.fix().starts_with("free space on that disk")) << e.fix();
    }
    EXPECT_EQ(file_text(journal.path()), before) << "a torn record was left behind";
  }
  journal.append(ok);
  const auto stored = load_deploy(dir, kId1);
  EXPECT_FALSE(stored.replay.torn_tail);
  EXPECT_EQ(stored.replay.hosts, (std::vector<core::HostRecord>{ok.record}));
}

TEST_F(JournalStore, AJournalThatCannotBeCreatedLeavesNoFileBehind) {
  {
    drover::testing::FileSizeLimit full(10);
    EXPECT_THROW(DeployJournal::create(dir, testing::sample_plan(kId1), kAlice), StorageError);
  }
  EXPECT_FALSE(fs::exists(dir.journal_file(kId1))) << "a 0-byte or torn journal was left";
  EXPECT_FALSE(fs::exists(dir.origin_file(kId1)));
  EXPECT_TRUE(list_deploys(dir).deploys.empty());
}

TEST_F(JournalStore, AJournalThatIsNoFileIsRefusedUnread) {
  DeployJournal::create(dir, testing::sample_plan(kId1), kAlice);
  // /dev/zero would be read without end: it is left out with a warning, the others listed.
  fs::create_symlink("/dev/zero", dir.journal_file(kId2));
  const auto listing = list_deploys(dir);
  ASSERT_EQ(listing.deploys.size(), 1u);
  EXPECT_EQ(listing.deploys[0].deploy_id, kId1);
  ASSERT_EQ(listing.warnings.size(), 1u);
  EXPECT_NE(listing.warnings[0].find(kId2 + ".jsonl: is not a regular file; left out"),
            std::string::npos)
      << listing.warnings[0];
  EXPECT_THROW(load_deploy(dir, kId2), StorageError);
  EXPECT_THROW(DeployJournal::reopen(dir, kId2), StorageError);
}

TEST_F(JournalStore, ResumeSetIsThePlanHostsNotYetDone) {
  auto journal = DeployJournal::create(dir, testing::sample_plan(kId1), kAlice);
  journal.append(JournalHost{{"host-1", HostOutcome::success(), seconds(30), {}}});
  journal.append(
      JournalHost{{"host-2", HostOutcome::failure(FailureKind::unreachable, "ssh"), {}, {}}});
  EXPECT_EQ(load_deploy(dir, kId1).replay.hosts_to_resume(), (std::vector<std::string>{"host-2"}));

  // The resumed deploy appends to the same journal; its records win.
  auto resumed = DeployJournal::reopen(dir, kId1);
  resumed.append(JournalHost{{"host-2", HostOutcome::success(), seconds(31), {}}});
  EXPECT_TRUE(load_deploy(dir, kId1).replay.hosts_to_resume().empty());
}

TEST_F(JournalStore, TornLastLineIsIgnoredWithAWarningAndCutBeforeAppending) {
  auto journal = DeployJournal::create(dir, testing::sample_plan(kId1), kAlice);
  journal.append(JournalHost{{"host-1", HostOutcome::success(), seconds(30), {}}});
  append_raw(journal.path(), R"({"type":"host","v":1,"host":"host-2","sta)");

  const auto stored = load_deploy(dir, kId1);
  EXPECT_TRUE(stored.replay.torn_tail);
  EXPECT_EQ(stored.replay.hosts.size(), 1u);
  ASSERT_EQ(stored.warnings.size(), 1u);
  EXPECT_NE(stored.warnings[0].find("cut short"), std::string::npos) << stored.warnings[0];
  EXPECT_NE(stored.warnings[0].find(kId1 + ".jsonl"), std::string::npos) << stored.warnings[0];

  auto resumed = DeployJournal::reopen(dir, kId1);
  resumed.append(JournalHost{{"host-2", HostOutcome::success(), seconds(31), {}}});
  const auto after = load_deploy(dir, kId1);
  EXPECT_FALSE(after.replay.torn_tail);
  EXPECT_TRUE(after.warnings.empty());
  EXPECT_EQ(after.replay.hosts.size(), 2u);
  EXPECT_TRUE(after.replay.hosts_to_resume().empty());
}

TEST_F(JournalStore, ACompleteLastRecordWithoutNewlineIsKept) {
  auto journal = DeployJournal::create(dir, testing::sample_plan(kId1), kAlice);
  auto line =
      core::to_journal_line(JournalHost{{"host-1", HostOutcome::success(), seconds(30), {}}});
  line.pop_back();
  append_raw(journal.path(), line);
  auto resumed = DeployJournal::reopen(dir, kId1);
  resumed.append(JournalHost{{"host-2", HostOutcome::success(), seconds(31), {}}});
  EXPECT_EQ(load_deploy(dir, kId1).replay.hosts.size(), 2u);
}

TEST_F(JournalStore, UnknownOrMalformedIdsPointToHistory) {
  for (const std::string& id : {kId2, std::string("../../etc/passwd"), std::string("nope")}) {
    try {
      load_deploy(dir, id);
      FAIL() << id;
    } catch (const core::InputError& e) {
      EXPECT_EQ(e.where(), "deploy id");
      EXPECT_NE(e.fix().find("drover history"), std::string::npos) << e.fix();
    }
    EXPECT_THROW(DeployJournal::reopen(dir, id), core::InputError) << id;
  }
}

TEST_F(JournalStore, DamageInTheMiddleNamesTheFile) {
  DeployJournal::create(dir, testing::sample_plan(kId1), kAlice);
  append_raw(dir.journal_file(kId1), "garbage\n");
  append_raw(dir.journal_file(kId1),
             core::to_journal_line(JournalHost{{"host-1", HostOutcome::success(), {}, {}}}));
  try {
    load_deploy(dir, kId1);
    FAIL();
  } catch (const core::JournalError& e) {
    EXPECT_NE(std::string(e.what()).find("tradebot/deploys/" + kId1 + ".jsonl: line 2:"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(DeployJournal::reopen(dir, kId1), core::JournalError);
}

TEST_F(JournalStore, ListsNewestFirstAndSkipsWhatItCannotRead) {
  DeployJournal::create(dir, testing::sample_plan(kId1, "2026-06-12T10:00:00Z"), kAlice);
  DeployJournal::create(dir, testing::sample_plan(kId2, "2026-06-14T08:30:00Z"),
                        {"bob@ops-2", "drover deploy staging fast"});
  DeployJournal::create(dir, testing::sample_plan(kId3, "2026-06-13T23:59:59Z"), kAlice);
  append_raw(dir.deploys_dir() / "notes.jsonl", "hello\n");
  append_raw(dir.deploys_dir() / "README", "not a journal\n");
  const std::string broken = "11111111-2222-4333-8444-555555555555";
  append_raw(dir.journal_file(broken), "not json\n");
  fs::remove(dir.origin_file(kId3));

  const auto listing = list_deploys(dir);
  ASSERT_EQ(listing.deploys.size(), 3u);
  EXPECT_EQ(listing.deploys[0].deploy_id, kId2);
  EXPECT_EQ(listing.deploys[0].origin.operator_name, "bob@ops-2");
  EXPECT_EQ(listing.deploys[1].deploy_id, kId3);
  EXPECT_EQ(listing.deploys[1].origin.operator_name, "") << "origin file removed";
  ASSERT_EQ(listing.deploys[1].warnings.size(), 1u);
  EXPECT_NE(listing.deploys[1].warnings[0].find("operator unknown"), std::string::npos);
  EXPECT_EQ(listing.deploys[2].deploy_id, kId1);
  ASSERT_EQ(listing.warnings.size(), 2u);
  std::string all;
  for (const auto& w : listing.warnings) all += w + "\n";
  EXPECT_NE(all.find("notes.jsonl: not a deploy journal name"), std::string::npos) << all;
  EXPECT_NE(all.find(broken + ".jsonl: line 1:"), std::string::npos) << all;
}

TEST_F(JournalStore, ADamagedOriginOnlyCostsTheOperator) {
  DeployJournal::create(dir, testing::sample_plan(kId1), kAlice);
  std::ofstream(dir.origin_file(kId1), std::ios::trunc) << R"({"v":"1","operator":"x"})";
  const auto stored = load_deploy(dir, kId1);
  EXPECT_EQ(stored.origin, DeployOrigin{});
  ASSERT_EQ(stored.warnings.size(), 1u);
  EXPECT_NE(stored.warnings[0].find(kId1 + ".origin.json cannot be read"), std::string::npos)
      << stored.warnings[0];
}

TEST_F(JournalStore, EmptyFleetListsNothing) {
  const auto listing = list_deploys(dir);
  EXPECT_TRUE(listing.deploys.empty());
  EXPECT_TRUE(listing.warnings.empty());
}

}  // namespace
}  // namespace drover::cli
