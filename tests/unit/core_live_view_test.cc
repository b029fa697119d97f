// The pure pieces of the live view (issue 14): the agent's step lines, the ETA from the hosts
// finished so far, the live bar fitted to the terminal's width, and drover's own timestamps.
#include <gtest/gtest.h>

#include <sstream>

#include "agent/progress_steps.h"
#include "core/agent_progress.h"
#include "core/live_bar.h"
#include "core/live_eta.h"
#include "core/text_columns.h"
#include "util/rfc3339.h"

namespace drover::core {
namespace {

using std::chrono::seconds;

TEST(AgentProgress, AStepLineNamesItsStep) {
  EXPECT_EQ(agent_step_of("drover-agent: step: pull"), "pull");
  EXPECT_EQ(agent_step_of("drover-agent: " + agent_step_text("settle")), "settle");
  EXPECT_EQ(agent_step_of("drover-agent: step: login\r"), "login");  // ssh -t ends lines in \r\n
}

TEST(AgentProgress, EveryOtherLineIsNoStep) {
  EXPECT_EQ(agent_step_of("drover-agent: pulling reg.io/bot:v2"), std::nullopt);
  EXPECT_EQ(agent_step_of("drover-agent: bot539: step: pull"), std::nullopt);
  EXPECT_EQ(agent_step_of("step: pull"), std::nullopt);
  EXPECT_EQ(agent_step_of("drover-agent: step: "), std::nullopt);
  // What a host writes is shown only when it is one plain word.
  EXPECT_EQ(agent_step_of("drover-agent: step: \033[2Jpull"), std::nullopt);
  EXPECT_EQ(agent_step_of("drover-agent: step: pull now"), std::nullopt);
  EXPECT_EQ(agent_step_of("drover-agent: step: " + std::string(kMaxAgentStepLength + 1, 'a')),
            std::nullopt);
}

TEST(AgentProgressSteps, EachSwapStepSaysWhatComesNext) {
  using agent::SwapStep;
  EXPECT_EQ(agent::progress_step_after(SwapStep::Recovered, false), "pull");
  EXPECT_EQ(agent::progress_step_after(SwapStep::Recovered, true), "jitter");
  EXPECT_EQ(agent::progress_step_after(SwapStep::Pulled, false), "create");
  EXPECT_EQ(agent::progress_step_after(SwapStep::CreatedNext, false), "stop");
  EXPECT_EQ(agent::progress_step_after(SwapStep::Stopped, false), "start");
  EXPECT_EQ(agent::progress_step_after(SwapStep::Started, false), "settle");
  EXPECT_EQ(agent::progress_step_after(SwapStep::RemovedOldImages, false), "login");
  EXPECT_EQ(agent::progress_step_after(SwapStep::Pruned, false), std::nullopt);  // mid-settle
  EXPECT_EQ(agent::progress_step_after(SwapStep::Settled, false), std::nullopt);
}

TEST(AgentProgressSteps, TheObserverWritesStepLinesAndStillCallsTheOneItWraps) {
  std::ostringstream err;
  agent::ProgressLog log(err);
  std::vector<agent::SwapStep> seen;
  auto observer = agent::with_progress_steps(
      [&](int, agent::SwapStep step) { seen.push_back(step); }, log, false);
  observer(0, agent::SwapStep::Recovered);
  observer(539, agent::SwapStep::Stopped);
  observer(539, agent::SwapStep::Settled);
  EXPECT_EQ(err.str(), "drover-agent: step: pull\ndrover-agent: step: start\n");
  EXPECT_EQ(seen.size(), 3U);
  // What drover reads back from those lines.
  std::istringstream lines(err.str());
  std::string line;
  std::vector<std::string> steps;
  while (std::getline(lines, line)) steps.push_back(agent_step_of(line).value_or("?"));
  EXPECT_EQ(steps, (std::vector<std::string>{"pull", "start"}));
}

TEST(LiveEta, NoEstimateBeforeTheFirstHostFinishes) {
  EXPECT_EQ(live_eta({Duration(0), 0, {seconds(10)}, 20, 5}), std::nullopt);
  EXPECT_EQ(render_eta(std::nullopt), "ETA …");
}

TEST(LiveEta, TheHostsLeftFillTheWindowAtTheMeanDuration) {
  // Mean 60 s. In flight for 10/20/30/40 s: their places free at 50/40/30/20 s, the fifth now.
  // Five hosts to start: at 0, 20, 30, 40, 50 s, each taking 60 s: the last ends at 110 s.
  LiveEtaInput input{seconds(120), 2, {seconds(10), seconds(20), seconds(30), seconds(40)}, 5, 5};
  EXPECT_EQ(live_eta(input), seconds(110));
  // Nothing left to start: the oldest-started host in flight is not what ends it; the youngest is.
  input.not_started = 0;
  EXPECT_EQ(live_eta(input), seconds(50));
  // A host running longer than the mean is about to end, not overdue by a negative time.
  EXPECT_EQ(live_eta({seconds(60), 1, {seconds(90)}, 0, 5}), Duration(0));
  // One at a time: 3 more after the one in flight.
  EXPECT_EQ(live_eta({seconds(30), 1, {seconds(10)}, 3, 1}), seconds(20 + 90));
}

TEST(LiveEta, ReadsAsTheGuideWritesTimes) {
  EXPECT_EQ(render_eta(seconds(250)), "ETA 4m10s");
  EXPECT_EQ(render_eta(seconds(245)), "ETA 4m05s");
  EXPECT_EQ(render_eta(seconds(45)), "ETA 45s");
  EXPECT_EQ(render_eta(seconds(3720)), "ETA 1h02m");
}

LiveBar guide_bar() {
  return {{178, 104, 0, 5, seconds(612)},
          "ETA 4m10s",
          {{"host-105", "pull"},
           {"host-106", "stop"},
           {"host-107", "settle"},
           {"host-108", "login"},
           {"host-109", "running"}}};
}

TEST(LiveBar, OnAWideTerminalItIsTheGuidesBarWithTheEtaAndTheHostsInFlight) {
  const auto line = render_live_bar(guide_bar(), 200);
  EXPECT_EQ(line,
            "[############........] 104/178 hosts · 0 errors · 612s · ETA 4m10s · host-105 pull, "
            "host-106 stop, host-107 settle, host-108 login, host-109 running");
}

TEST(LiveBar, NeverReachesTheLastColumn) {
  for (std::size_t width = 1; width <= 200; ++width) {
    const auto line = render_live_bar(guide_bar(), width);
    EXPECT_LT(display_width(line), std::max<std::size_t>(width, 1)) << width << ": " << line;
  }
}

TEST(LiveBar, At120ColumnsTheBarAndSomeHostsFit) {
  const auto line = render_live_bar(guide_bar(), 120);
  EXPECT_LE(display_width(line), 119U);
  EXPECT_TRUE(
      line.starts_with("[############........] 104/178 hosts · 0 errors · 612s · ETA 4m10s"))
      << line;
  EXPECT_NE(line.find("host-105 pull, host-106 stop"), std::string::npos) << line;
  EXPECT_NE(line.find(" +"), std::string::npos) << line;  // the others are counted
}

TEST(LiveBar, At40ColumnsTheCountsStayAndTheRestGoes) {
  const auto line = render_live_bar(guide_bar(), 40);
  EXPECT_LE(display_width(line), 39U) << line;
  // The cells and the elapsed time make way for the ETA.
  EXPECT_EQ(line, "104/178 hosts · 0 errors · ETA 4m10s");
}

TEST(LiveBar, ANarrowTerminalGetsFewerCellsBeforeNone) {
  const auto line = render_live_bar({{178, 104, 0, 0, seconds(612)}, "ETA 4m10s", {}}, 60);
  EXPECT_LE(display_width(line), 59U) << line;
  EXPECT_TRUE(line.starts_with("[")) << line;
  EXPECT_NE(line.find("] 104/178 hosts · 0 errors · 612s · ETA 4m10s"), std::string::npos) << line;
}

TEST(LiveBar, HostsWaitingForTheirStormSlotShowWhenTheNextStarts) {
  auto bar = guide_bar();
  bar.progress.next_start_in = std::chrono::milliseconds(1200);
  const auto wide = render_live_bar(bar, 200);
  EXPECT_TRUE(wide.ends_with("host-108 login, host-109 running · next start in 2s")) << wide;
  // At 120 columns the hosts in flight make room for it (fewer of them, then their count).
  const auto line = render_live_bar(bar, 120);
  EXPECT_LE(display_width(line), 119U) << line;
  EXPECT_TRUE(line.ends_with(" · next start in 2s")) << line;
  EXPECT_NE(line.find("host-105 pull"), std::string::npos) << line;
  // Nothing in flight (between two slots): the counts and the wait.
  bar.in_flight.clear();
  bar.progress.next_start_in = std::chrono::milliseconds(300);
  EXPECT_EQ(render_live_bar(bar, 90),
            "[############........] 104/178 hosts · 0 errors · 612s · ETA 4m10s · next start in "
            "<1s");
  bar.progress.next_start_in = seconds(75);
  EXPECT_TRUE(render_live_bar(bar, 200).ends_with("· next start in 1m15s"));
  // Too narrow for it: the counts win, as before.
  EXPECT_EQ(render_live_bar(bar, 40), "104/178 hosts · 0 errors · ETA 4m10s");
  for (std::size_t width = 1; width <= 200; ++width) {
    EXPECT_LT(display_width(render_live_bar(bar, width)), std::max<std::size_t>(width, 1));
  }
}

TEST(LiveBar, FitTextCutsWithAnEllipsisByCodePoints) {
  EXPECT_EQ(fit_text("host-7 · ok", 20), "host-7 · ok");
  EXPECT_EQ(fit_text("host-7 · ok", 8), "host-7 …");
  EXPECT_EQ(display_width(fit_text("··········", 4)), 4U);
}

TEST(Rfc3339Format, UtcWithMilliseconds) {
  EXPECT_EQ(format_rfc3339_utc_millis(WallTime(std::chrono::seconds(1781257267)) +
                                      std::chrono::microseconds(123999)),
            "2026-06-12T09:41:07.123Z");
  EXPECT_EQ(format_rfc3339_utc_millis(WallTime{}), "1970-01-01T00:00:00.000Z");
  const auto text = format_rfc3339_utc_millis(WallTime(std::chrono::milliseconds(1795824000042)));
  EXPECT_EQ(parse_rfc3339_unix_nanos(text), 1795824000042000000LL) << text;
}

}  // namespace
}  // namespace drover::core
