// The engine requests an agent has in flight, kept in the host lock (agent/host_lock.h), and
// what the next agent does with those a dead one left (agent/landing_wait.h): the record's
// line format, the recording engine on the in-memory runtime, the record surviving its
// holder on a real lock file, and the wait for each request's effect on a virtual clock.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "agent/host_lock.h"
#include "agent/in_flight_request.h"
#include "agent/in_flight_runtime.h"
#include "agent/landing_wait.h"
#include "core/virtual_clock.h"
#include "support/fixed_random.h"
#include "support/in_memory_runtime.h"

namespace drover::agent {
namespace {

using Action = InFlightRequest::Action;
using core::VirtualClock;
using testing::InMemoryRuntime;

constexpr const char* kImage = "registry.example/bot:v1";

InFlightRequest in_flight(Action action, std::string container, WallTime land_by,
                          Duration longest = kEngineRequestLandingTime) {
  InFlightRequest request;
  request.action = action;
  request.container = std::move(container);
  request.land_by = land_by;
  request.longest = longest;
  return request;
}

TEST(InFlightRequestLine, EveryActionSurvivesTheRecordLine) {
  const WallTime at{std::chrono::milliseconds(1795824000123)};
  auto renaming = in_flight(Action::rename, std::string(64, 'a'), at);
  renaming.new_name = "bot7301-prev";
  for (const auto& request :
       {in_flight(Action::create, "bot7301-next", at), in_flight(Action::start, "bot7301", at),
        in_flight(Action::stop, "bot7301", at, Duration(40000)), renaming,
        in_flight(Action::remove, "bot7301-prev", at)}) {
    const auto line = to_record_line(request);
    EXPECT_EQ(from_record_line(line), request) << line;
  }
  EXPECT_EQ(to_record_line(in_flight(Action::stop, "bot7", at, Duration(40000))),
            "in-flight 1795824000123 40000 stop bot7");
  EXPECT_EQ(describe(renaming), "rename aaaaaaaaaaaa to bot7301-prev");
}

TEST(InFlightRequestLine, ATornOrForeignLineIsNotARequest) {
  for (const std::string line :
       {"", "4242 swap", "in-flight", "in-flight 1795824000123 5000 create",
        "in-flight 1795824000123 5000 launch bot7", "in-flight 17958x 5000 create bot7",
        "in-flight 1795824000123 0 create bot7", "in-flight 1795824000123 5000 rename bot7",
        "in-flight 1795824000123 5000 create bot7 bot8", "light 1795824000123 5000 create bot7",
        "in-flight 1795824000123 5000 rename a b c"}) {
    EXPECT_FALSE(from_record_line(line)) << line;
  }
}

// A HostLock that keeps what it is asked to record, to see the record change call by call.
class RecordingHostLock final : public HostLock {
 public:
  std::optional<UnansweredRequests> acquire(std::string_view, ProgressLog&) override {
    return std::nullopt;
  }
  void record_requests_in_flight(const std::vector<InFlightRequest>& requests) override {
    records.push_back(requests);
  }
  std::vector<std::vector<InFlightRequest>> records;
};

class InFlightRecordingRuntimeTest : public ::testing::Test {
 protected:
  VirtualClock clock;
  InMemoryRuntime engine{clock};
  RecordingHostLock lock;
  InFlightRecordingRuntime recording{engine, lock, clock};
};

TEST_F(InFlightRecordingRuntimeTest, EachChangeIsRecordedUntilItsAnswerIsBack) {
  engine.publish_image(kImage, {{"Cmd", {"/bot"}}});
  const auto old_id = engine.add_running_container("bot5", kImage);
  const auto sent = clock.wall_now();

  const auto next_id = recording.create_container("bot5-next", {{"Image", kImage}});
  recording.stop_container(old_id, std::chrono::seconds(30));
  recording.rename_container(old_id, "bot5-prev");
  recording.rename_container(next_id, "bot5");
  recording.start_container(next_id);
  recording.remove_container("bot5-prev");
  ASSERT_EQ(lock.records.size(), 12u) << "one record as each is sent, one as it is answered";

  auto renaming = in_flight(Action::rename, old_id, sent + kEngineRequestLandingTime);
  renaming.new_name = "bot5-prev";
  const std::vector<InFlightRequest> expected_sent{
      in_flight(Action::create, "bot5-next", sent + kEngineRequestLandingTime),
      in_flight(Action::stop, old_id, sent + Duration(30000) + kEngineRequestLandingTime,
                Duration(30000) + kEngineRequestLandingTime),
      renaming};
  for (std::size_t i = 0; i < expected_sent.size(); ++i) {
    ASSERT_EQ(lock.records[2 * i].size(), 1u);
    EXPECT_EQ(lock.records[2 * i][0], expected_sent[i]);
    EXPECT_TRUE(lock.records[2 * i + 1].empty()) << "answered, so nothing is in flight";
  }
  EXPECT_EQ(lock.records[8][0].action, Action::start);
  EXPECT_EQ(lock.records[10][0].action, Action::remove);
}

TEST_F(InFlightRecordingRuntimeTest, AFailedRequestLeavesTheRecordToo) {
  engine.fail_call(1, 500);
  EXPECT_THROW(recording.create_container("bot5-next", {{"Image", kImage}}), docker::RuntimeError);
  ASSERT_EQ(lock.records.size(), 2u);
  EXPECT_EQ(lock.records[0].size(), 1u);
  EXPECT_TRUE(lock.records[1].empty());
}

// No answer at all (the connection failed or timed out) is not an answer: the engine may still
// carry the request out, so the record keeps it until its land-by.
TEST_F(InFlightRecordingRuntimeTest, ARequestLeftWithoutAnswerStaysRecordedUntilItsLandBy) {
  engine.publish_image(kImage, {{"Cmd", {"/bot"}}});
  const auto id = engine.add_running_container("bot5", kImage);
  engine.fail_call(engine.calls().size() + 1, 0);
  EXPECT_THROW(recording.stop_container(id, std::chrono::seconds(10)), docker::RuntimeError);
  ASSERT_EQ(lock.records.size(), 2u);
  ASSERT_EQ(lock.records[1].size(), 1u) << "an unanswered stop left the record";
  EXPECT_EQ(lock.records[1][0].action, Action::stop);

  recording.rename_container(id, "bot5-prev");
  ASSERT_EQ(lock.records.size(), 4u);
  EXPECT_EQ(lock.records[3].size(), 1u) << "still within its land-by";

  clock.advance(Duration(10000) + kEngineRequestLandingTime);
  recording.rename_container("bot5-prev", "bot5");
  EXPECT_TRUE(lock.records.back().empty()) << "past its land-by, it is no longer waited for";
}

TEST_F(InFlightRecordingRuntimeTest, ReadsAndPullsAreNotRecorded) {
  engine.publish_image(kImage, {{"Cmd", {"/bot"}}});
  recording.pull_image(kImage, "");
  EXPECT_FALSE(recording.inspect_container("bot5"));
  EXPECT_TRUE(recording.inspect_image(kImage));
  EXPECT_TRUE(lock.records.empty());
}

std::filesystem::path fresh_lock_path(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("drover-in-flight-" + name + "-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  return dir / "drover-agent.lock";
}

TEST(HostLockRecord, TheNextHolderGetsWhatADeadHolderLeftInFlight) {
  const auto path = fresh_lock_path("dead").string();
  std::ostringstream log_text;
  ProgressLog log(log_text);
  const WallTime at{std::chrono::milliseconds(1795824000123)};
  auto renaming = in_flight(Action::rename, "bot7-next", at);
  renaming.new_name = "bot7";
  {
    FileHostLock dead(path);
    EXPECT_FALSE(dead.acquire("swap", log)) << "a fresh lock file names no request";
    dead.record_requests_in_flight({in_flight(Action::create, "bot8-next", at)});
    dead.record_requests_in_flight({in_flight(Action::stop, "bot9", at, Duration(9000)), renaming});
  }  // closing the file is all the kernel does for an agent that is killed
  FileHostLock next(path);
  const auto left = next.acquire("recover", log);
  ASSERT_TRUE(left);
  EXPECT_EQ(left->holder, "drover-agent swap (pid " + std::to_string(getpid()) + ")");
  ASSERT_EQ(left->requests.size(), 2u) << "the latest record, not every one written";
  EXPECT_EQ(left->requests[0], in_flight(Action::stop, "bot9", at, Duration(9000)));
  EXPECT_EQ(left->requests[1], renaming);
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

TEST(HostLockRecord, AHolderWhoseRequestsWereAllAnsweredLeavesNothing) {
  const auto path = fresh_lock_path("answered").string();
  std::ostringstream log_text;
  ProgressLog log(log_text);
  {
    FileHostLock answered(path);
    answered.acquire("swap", log);
    answered.record_requests_in_flight({in_flight(Action::create, "bot8-next", WallTime{})});
    answered.record_requests_in_flight({});
  }
  FileHostLock next(path);
  EXPECT_FALSE(next.acquire("recover", log));
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

class LandingWaitTest : public ::testing::Test {
 protected:
  LandingWaitTest() {
    engine.publish_image(kImage, {{"Cmd", {"/bot"}}});
    engine.pull_image(kImage, "");
  }

  VirtualClock clock;
  InMemoryRuntime engine{clock};
  testing::FixedRandom random{1};
  std::ostringstream log_text;
  ProgressLog log{log_text};
  AgentContext ctx{engine, clock, random, log,
                   [](const std::string&) { return std::optional<std::int64_t>(50LL << 30); }};
};

// The dead agent's create reaches the engine 700 ms after the next agent took the lock.
TEST_F(LandingWaitTest, WaitsUntilALateCreateHasLanded) {
  const auto began = clock.now();
  clock.at(began + Duration(700), [&] {
    engine.create_container("bot5-next", {{"Image", kImage}});
  });
  wait_for_landing(ctx,
                   {"drover-agent swap (pid 4242)",
                    {in_flight(Action::create, "bot5-next", clock.wall_now() + Duration(5000))}});
  EXPECT_TRUE(engine.inspect_container("bot5-next")) << "returned before it landed";
  EXPECT_LE(clock.now() - began, Duration(700) + kLandingPollInterval);
  EXPECT_NE(log_text.str().find("drover-agent swap (pid 4242) ended before the engine answered "
                                "create bot5-next; waiting up to 5000 ms"),
            std::string::npos)
      << log_text.str();
  EXPECT_NE(log_text.str().find("the engine carried it out"), std::string::npos) << log_text.str();
}

TEST_F(LandingWaitTest, WaitsUntilALateStopHasLanded) {
  const auto id = engine.add_running_container("bot5", kImage);
  const auto began = clock.now();
  clock.at(began + Duration(2500), [&] { engine.stop_container(id, std::chrono::seconds(1)); });
  wait_for_landing(
      ctx, {"drover-agent swap (pid 4242)",
            {in_flight(Action::stop, id, clock.wall_now() + Duration(40000), Duration(40000))}});
  EXPECT_FALSE(engine.inspect_container(id)->state.running) << "returned before it landed";
  EXPECT_LE(clock.now() - began, Duration(2500) + kLandingPollInterval);
}

TEST_F(LandingWaitTest, GivesUpOnARequestThatNeverShowsAtItsTime) {
  const auto began = clock.now();
  wait_for_landing(ctx,
                   {"drover-agent swap (pid 4242)",
                    {in_flight(Action::create, "bot5-next", clock.wall_now() + Duration(3000))}});
  EXPECT_GE(clock.now() - began, Duration(3000));
  EXPECT_LE(clock.now() - began, Duration(3000) + kLandingPollInterval);
  EXPECT_NE(log_text.str().find("no effect of create bot5-next after"), std::string::npos)
      << log_text.str();
}

TEST_F(LandingWaitTest, ARequestPastItsTimeIsNotWaitedFor) {
  const auto began = clock.now();
  wait_for_landing(ctx, {"drover-agent swap (pid 4242)",
                         {in_flight(Action::create, "bot5-next", clock.wall_now() - Duration(1))}});
  EXPECT_EQ(clock.now(), began);
  EXPECT_EQ(log_text.str(), "");
}

// A land-by a day ahead (the calendar clock was set back since it was written) is bounded by
// the longest the request could take.
TEST_F(LandingWaitTest, ACalendarJumpIsBoundedByTheLongestTheRequestMayTake) {
  const auto began = clock.now();
  wait_for_landing(ctx, {"drover-agent swap (pid 4242)",
                         {in_flight(Action::remove, "bot5-prev",
                                    clock.wall_now() + std::chrono::hours(24), Duration(5000))}});
  EXPECT_EQ(clock.now() - began, Duration(0)) << "a container already gone has landed";
  engine.add_running_container("bot5-prev", kImage);
  const auto again = clock.now();
  wait_for_landing(ctx, {"drover-agent swap (pid 4242)",
                         {in_flight(Action::remove, "bot5-prev",
                                    clock.wall_now() + std::chrono::hours(24), Duration(5000))}});
  EXPECT_LE(clock.now() - again, Duration(5000) + kLandingPollInterval);
  EXPECT_GE(clock.now() - again, Duration(5000));
}

TEST_F(LandingWaitTest, StartAndRenameLandOnTheirEffect) {
  const auto id = engine.create_container("bot5-next", {{"Image", kImage}});
  auto renaming = in_flight(Action::rename, id, clock.wall_now() + Duration(5000));
  renaming.new_name = "bot5";
  const auto began = clock.now();
  clock.at(began + Duration(300), [&] { engine.rename_container(id, "bot5"); });
  clock.at(began + Duration(600), [&] { engine.start_container(id); });
  wait_for_landing(ctx,
                   {"drover-agent swap (pid 4242)",
                    {renaming, in_flight(Action::start, id, clock.wall_now() + Duration(5000))}});
  EXPECT_LE(clock.now() - began, Duration(600) + kLandingPollInterval);
  EXPECT_GE(clock.now() - began, Duration(600));
  EXPECT_TRUE(engine.inspect_container("bot5")->state.running);
}

}  // namespace
}  // namespace drover::agent
