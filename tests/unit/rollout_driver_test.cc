// The rollout driver against the recording fake transport: a 10,000-host plan runs on a pool
// the size of its window (the thread count never grows past it), every host is asked once,
// and the result is the one core's scheduler gives for the same finishes.
#include "cli/fleet/rollout_driver.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "core/agent_call_group.h"
#include "core/rollout_scheduler.h"
#include "core/virtual_clock.h"
#include "support/recording_transport.h"
#include "support/scripted_terminal.h"

namespace drover::cli {
namespace {

constexpr std::size_t kHosts = 10'000;
const std::string kOldImage = "registry.test/tradebot@sha256:" + std::string(64, '1');

std::size_t thread_count() {
  namespace fs = std::filesystem;
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator("/proc/self/task"), fs::directory_iterator()));
}

core::Fleet fleet_of(std::size_t hosts) {
  std::vector<core::Host> list;
  for (std::size_t i = 1; i <= hosts; ++i) {
    list.push_back({"host-" + std::to_string(i),
                    std::nullopt,
                    {static_cast<core::BotId>(i)},
                    core::HostGroup::production});
  }
  return core::Fleet("big", std::move(list));
}

// drover.toml's defaults for everything but the fleet.
DroverConfig config_of(core::Fleet fleet) {
  auto config = parse_config(
      "[fleet]\nname = \"big\"\nimage = \"registry.test/tradebot\"\n"
      "[[hosts]]\nname = \"host-1\"\nbots = [1]\n",
      "drover.toml");
  config.fleet = std::move(fleet);
  return config;
}

// `inner`'s calls followed as one group that ends the hosts of each start together, as the ssm
// transport's poll does (hundreds at once); each call runs on `inner` when it starts.
class EndsTogetherTransport final : public core::Transport {
 public:
  explicit EndsTogetherTransport(core::Transport& inner) : inner_(inner) {}
  core::AgentResult run_agent(const core::Host& host, const core::AgentCall& call) override {
    return inner_.run_agent(host, call);
  }
  core::AgentResult install_agent(const core::Host& host,
                                  const core::AgentBinary& binary) override {
    return inner_.install_agent(host, binary);
  }
  std::unique_ptr<core::AgentCallGroup> call_group() override {
    return std::make_unique<Group>(inner_);
  }

 private:
  class Group final : public core::AgentCallGroup {
   public:
    explicit Group(core::Transport& inner) : inner_(inner) {}
    void start(const std::vector<core::Host>& hosts,
               const std::vector<core::AgentCall>& calls) override {
      for (std::size_t i = 0; i < hosts.size(); ++i) {
        ended_.push_back({hosts[i].name, inner_.run_agent(hosts[i], calls[i])});
      }
    }
    std::vector<core::FinishedCall> collect(Duration) override { return std::exchange(ended_, {}); }
    std::size_t in_flight() const override { return ended_.size(); }

   private:
    core::Transport& inner_;
    std::vector<core::FinishedCall> ended_;
  };
  core::Transport& inner_;
};

class RolloutDriverTest : public ::testing::Test {
 protected:
  RolloutDriverTest() {
    transport.on_call = [this](const core::Host&, const core::AgentCall&) {
      {
        std::lock_guard lock(mutex);
        call_threads.insert(std::this_thread::get_id());
      }
      const auto now = thread_count();
      auto peak = peak_threads.load();
      while (now > peak && !peak_threads.compare_exchange_weak(peak, now)) {
      }
    };
  }

  core::DeployPlan plan_for(core::SpeedName speed) const {
    auto plan = core::make_plan(config.fleet, core::Target::all(), speed, {},
                                core::parse_image_reference("registry.test/tradebot:v2"),
                                "6ca32b16-367e-4372-8a33-6dd9442ed2c3", "2026-06-12T10:00:00Z");
    plan.pinned_image = "registry.test/tradebot@sha256:" + std::string(64, '2');
    return plan;
  }

  core::RolloutResult drive(const core::DeployPlan& plan, const std::set<core::HostName>& done = {},
                            core::Transport* through = nullptr) {
    auto view = make_view(OutputMode::plain, terminal, clock);
    RolloutDriverContext ctx{through != nullptr ? *through : transport,
                             clock,
                             random,
                             *view,
                             interrupt,
                             [this](const std::vector<core::HostRecord>& records) {
                               finishes.insert(finishes.end(), records.begin(), records.end());
                             },
                             {},
                             nullptr,
                             {}};
    threads_before = thread_count();
    return drive_rollout(plan, config, done, ctx);
  }

  // What core's scheduler makes of the same finishes in the same order (and an interrupt after
  // `interrupted_after` of them): the rollout's result as the driver must report it.
  core::RolloutResult replayed(const core::DeployPlan& plan,
                               const std::set<core::HostName>& done = {},
                               std::optional<std::size_t> interrupted_after = {}) const {
    core::RolloutOptions options;
    for (const auto& host : plan.selection.hosts) options.hosts.push_back(host.name);
    options.concurrency = plan.settings.concurrency;
    options.halt = plan.settings.halt;
    options.already_done = done;
    core::VirtualClock virtual_clock;
    core::RolloutScheduler scheduler(options, virtual_clock);
    // The driver's loop: look at the interrupt flag, start what may start, take one finish.
    for (std::size_t i = 0; i <= finishes.size(); ++i) {
      if (interrupted_after == i) scheduler.interrupt();
      scheduler.next_to_start();
      if (i < finishes.size()) scheduler.on_finished(finishes[i].host, finishes[i].outcome);
    }
    EXPECT_TRUE(scheduler.done());
    return scheduler.result();
  }

  DroverConfig config = config_of(fleet_of(kHosts));
  testing::RecordingTransport transport{kOldImage};
  core::VirtualClock clock;
  SystemRandom random;
  testing::ScriptedTerminal terminal;
  std::atomic<bool> interrupt{false};
  std::vector<core::HostRecord> finishes;
  // Two measures of the threads a rollout takes: the distinct threads the agent calls ran on
  // (one per host when each host had a thread of its own, even though each had ended before
  // the next started), and the most threads the process had alive at any call.
  std::mutex mutex;
  std::set<std::thread::id> call_threads;
  std::atomic<std::size_t> peak_threads{0};
  std::size_t threads_before = 0;
};

TEST_F(RolloutDriverTest, TenThousandHostsRunOnAPoolTheSizeOfTheWindow) {
  const auto plan = plan_for(core::SpeedName::routine);
  ASSERT_EQ(plan.selection.hosts.size(), kHosts);
  const auto result = drive(plan);

  EXPECT_EQ(result.status, core::RolloutStatus::success);
  EXPECT_EQ(result.total, kHosts);
  EXPECT_EQ(result.succeeded, kHosts);
  EXPECT_EQ(result.failed, 0u);
  EXPECT_TRUE(result.not_started.empty());
  EXPECT_EQ(result, replayed(plan));

  const auto swapped = transport.hosts_that_ran("swap");
  EXPECT_EQ(swapped.size(), kHosts);
  EXPECT_EQ(std::set<core::HostName>(swapped.begin(), swapped.end()).size(), kHosts)
      << "every host asked exactly once";
  // routine's window is 5: the calls ran on at most 5 workers, and the process never had more
  // than this thread, those workers and a little slack for threads a library may hold.
  EXPECT_LE(call_threads.size(), 5u);
  EXPECT_LE(peak_threads.load(), threads_before + 5 + 2) << "threads before: " << threads_before;
  // Each turn of the loop held the view's output and released it before waiting.
  EXPECT_EQ(terminal.open_holds(), 0);
  EXPECT_GE(terminal.releases(), kHosts);
}

// Hosts that end together (a batch of the ssm transport ends 500 at a time) are counted one by
// one: each host line's [k/N] is one more than the line before.
TEST_F(RolloutDriverTest, EachHostLineCountsOneMoreHostThanTheOneBefore) {
  auto plan = plan_for(core::SpeedName::immediate);
  plan.settings.jitter = Duration(0);  // no storm window: every host starts in the first wave
  plan.settings.login_rate.reset();
  EndsTogetherTransport together(transport);
  ASSERT_EQ(drive(plan, {}, &together).succeeded, kHosts);
  std::istringstream lines(terminal.out());
  std::size_t expected = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("[")) {
      ++expected;
      ASSERT_TRUE(line.starts_with(fmt::format("[{}/{}] ", expected, kHosts))) << line;
    }
  }
  EXPECT_EQ(expected, kHosts);
}

TEST_F(RolloutDriverTest, TheErrorHaltStopsNewHostsAsTheSchedulerSays) {
  // Every 7th host rolls back: 1,428 would fail, fast tolerates 10 % of 10,000 = 1,000.
  for (std::size_t i = 7; i <= kHosts; i += 7) {
    transport.script("host-" + std::to_string(i)).swap_rolls_back = true;
  }
  const auto plan = plan_for(core::SpeedName::fast);
  const auto result = drive(plan);

  EXPECT_EQ(result.status, core::RolloutStatus::halted);
  EXPECT_EQ(result.tolerated_failures, 1000u);
  EXPECT_GT(result.failed, 1000u);
  EXPECT_LE(result.failed, 1000u + 10u) << "only the hosts in flight finish after the halt";
  EXPECT_FALSE(result.not_started.empty());
  EXPECT_EQ(result.succeeded + result.failed + result.not_started.size(), kHosts);
  for (const auto& failure : result.failures) {
    EXPECT_EQ(std::stoul(failure.host.substr(5)) % 7, 0u) << failure.host;
  }
  ASSERT_TRUE(result.stopped_after.has_value()) << "when the halt came, for the timeline";
  auto expected = replayed(plan);
  expected.stopped_after = result.stopped_after;  // the scheduler's own result has no stop time
  EXPECT_EQ(result, expected);
  EXPECT_EQ(transport.hosts_that_ran("swap").size(), result.succeeded + result.failed)
      << "no host after the halt was started";
  EXPECT_LE(call_threads.size(), 10u);
  EXPECT_LE(peak_threads.load(), threads_before + 10 + 2) << "threads before: " << threads_before;
}

TEST_F(RolloutDriverTest, AnInterruptLetsTheHostsInFlightFinishAndStartsNoOther) {
  transport.script("host-3").during_swap = [this] { interrupt = true; };
  // The rest of the first window finishes only once the interrupt is set: otherwise, when
  // host-3's worker runs late, the driver refills the window again and again before anyone
  // pressed Ctrl-C (a timing the bound below does not describe; it failed 2 runs in 15).
  // The pool has one thread per window slot, so host-3 runs while these wait.
  for (const char* host : {"host-1", "host-2", "host-4", "host-5"}) {
    transport.script(host).during_swap = [this] {
      while (!interrupt) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    };
  }
  const auto plan = plan_for(core::SpeedName::routine);
  const auto result = drive(plan);
  // The plain view prints one "[N/T] host: …" line per finished host (and one per start), so
  // the notice's place says after how many finishes the driver saw the interrupt.
  const auto out = terminal.out();
  const auto notice = out.find("interrupted: no new host will start");
  ASSERT_NE(notice, std::string::npos) << out;
  std::size_t seen_after = 0;
  std::istringstream before(out.substr(0, notice));
  for (std::string line; std::getline(before, line);) {
    if (line.starts_with("[")) ++seen_after;
  }

  EXPECT_EQ(result.status, core::RolloutStatus::interrupted);
  EXPECT_EQ(result.failed, 0u);
  EXPECT_LE(result.succeeded, 5u + 5u) << "at most two windows: the one running and its refill";
  EXPECT_EQ(result.succeeded + result.not_started.size(), kHosts);
  EXPECT_EQ(transport.hosts_that_ran("swap").size(), result.succeeded);
  ASSERT_TRUE(result.stopped_after.has_value()) << "when the interrupt came, for the timeline";
  auto expected = replayed(plan, {}, seen_after);
  expected.stopped_after = result.stopped_after;
  EXPECT_EQ(result, expected);
}

TEST_F(RolloutDriverTest, AResumeAsksOnlyTheHostsNotDone) {
  std::set<core::HostName> done;
  for (std::size_t i = 1; i <= 9'000; ++i) done.insert("host-" + std::to_string(i));
  const auto plan = plan_for(core::SpeedName::routine);
  const auto result = drive(plan, done);

  EXPECT_EQ(result.status, core::RolloutStatus::success);
  EXPECT_EQ(result.already_done, 9'000u);
  EXPECT_EQ(result.succeeded, kHosts);
  EXPECT_EQ(result, replayed(plan, done));
  const auto swapped = transport.hosts_that_ran("swap");
  ASSERT_EQ(swapped.size(), 1'000u);
  for (const auto& host : swapped) EXPECT_EQ(done.count(host), 0u) << host;
}

TEST_F(RolloutDriverTest, ATransportThatThrowsEndsTheRolloutWithItsException) {
  // host-4's call is slow on purpose (2 ms). Until its exception reaches the driver's loop, the
  // window's other four slots keep turning over, as a sliding window must. Its unwinding and a
  // loaded machine's scheduling lengthen that time: one CI run saw 18 calls begin after the
  // throw, so their count is not a fixed bound. Pinned: the driver ends with the transport's own
  // exception, long before the fleet's 10,000 hosts (about 90 here: the other slots run some
  // 40 hosts a millisecond), with its output released.
  transport.on_call = [](const core::Host& host, const core::AgentCall&) {
    if (host.name == "host-4") {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      throw std::runtime_error("transport bug");
    }
  };
  const auto plan = plan_for(core::SpeedName::routine);
  ASSERT_EQ(plan.settings.concurrency.window(kHosts), 5u);
  try {
    drive(plan);
    ADD_FAILURE() << "the transport's exception was swallowed";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "transport bug");
  }
  EXPECT_EQ(terminal.open_holds(), 0) << "what the last turn printed went out";
  EXPECT_LT(transport.hosts_that_ran("swap").size(), kHosts / 10)
      << "no new host once the failure is seen";
}

}  // namespace
}  // namespace drover::cli
