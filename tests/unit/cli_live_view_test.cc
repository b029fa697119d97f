// The rollout's views as an operator sees them (issue 14, point 4): the live terminal view
// written through the real StreamTerminal and replayed on a terminal emulator at 40 and 120
// columns, the plain view of a pipe, the JSON events' timestamps, and colour by --color and
// NO_COLOR.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/view/colour.h"
#include "cli/view/rollout_view.h"
#include "cli/view/terminal.h"
#include "core/deploy_plan.h"
#include "core/text_columns.h"
#include "core/virtual_clock.h"
#include "core_test_fleets.h"
#include "support/screen_emulator.h"
#include "support/scripted_terminal.h"

namespace drover::cli {
namespace {

using std::chrono::seconds;

// A terminal on string streams, interactive and `width` columns wide.
struct TestTerminal {
  explicit TestTerminal(std::size_t width, bool interactive = true)
      : terminal(in, out, err, {[interactive] { return interactive; }, [width] { return width; }}) {
  }
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  StreamTerminal terminal;
};

core::DeployPlan ten_host_plan() {
  // routine: 5 hosts at a time.
  return core::make_plan(core::testfleets::guide_fleet(10), core::Target::all(),
                         core::SpeedName::routine, {},
                         core::parse_image_reference("registry.test/tradebot:v2"),
                         "6ca32b16-367e-4372-8a33-6dd9442ed2c3", "2026-06-12T10:00:00Z");
}

core::HostRecord ok_record(const std::string& host, Duration took) {
  return {host, core::HostOutcome::success("3 bot(s) on the new image"), took};
}

core::HostRecord failed_record(const std::string& host, Duration took) {
  return {host,
          core::HostOutcome::failure(
              core::FailureKind::bot_failed,
              "bot1003 rolled back: new container rejected, old container restored: it exited "
              "(code 1) within the settle window"),
          took};
}

// A rollout of 10 hosts, 5 at a time, as the driver reports it to a view: starts, steps,
// ticks, an ok host, a failed one, then the rest. Returns the stdout bytes written from the
// deploy id line (the plan box and the id line are printed whole and may wrap, as the result's
// lines naming each failure in full may: printed text is never redrawn).
std::string run_rollout(RolloutView& view, TestTerminal& t, core::VirtualClock& clock) {
  view.plan(ten_host_plan());
  view.started("6ca32b16-367e-4372-8a33-6dd9442ed2c3");  // the whole id, wider than 40 columns
  t.out.str("");
  core::RolloutProgress p{10, 0, 0, 0, Duration(0)};
  for (int i = 1; i <= 5; ++i) {
    view.host_started("host-" + std::to_string(i));
    ++p.in_flight;
  }
  view.tick(p);
  view.host_step("host-1", "pull");
  view.host_step("host-2", "settle");
  clock.sleep_for(seconds(40));
  p.elapsed = seconds(40);
  view.tick(p);
  p.finished = 1;
  p.in_flight = 4;
  view.host_finished(ok_record("host-1", seconds(40)), p);
  p.finished = 2;
  p.failed = 1;
  p.in_flight = 3;
  view.host_finished(failed_record("host-2", seconds(40)), p);
  for (int i = 3; i <= 10; ++i) {
    if (i + 2 <= 10) view.host_started("host-" + std::to_string(i + 2));
    clock.sleep_for(seconds(10));
    p.elapsed += seconds(10);
    view.tick(p);
    ++p.finished;
    p.in_flight = std::min<std::size_t>(5, 10 - p.finished);
    view.host_finished(ok_record("host-" + std::to_string(i), seconds(40)), p);
  }
  return t.out.str();
}

core::RolloutResult failed_result() {
  core::RolloutResult result;
  result.status = core::RolloutStatus::failed;
  result.total = 10;
  result.succeeded = 9;
  result.failed = 1;
  result.failures.push_back(failed_record("host-2", seconds(40)));
  return result;
}

class LiveViewAtWidth : public ::testing::TestWithParam<std::size_t> {};

TEST_P(LiveViewAtWidth, NoLineIsWiderThanTheTerminalAndNoBarIsLeftBehind) {
  const std::size_t width = GetParam();
  TestTerminal t(width);
  core::VirtualClock clock;
  auto view = make_view(OutputMode::terminal, t.terminal, clock);
  const auto bytes = run_rollout(*view, t, clock);

  testing::ScreenEmulator screen(width);
  screen.feed(bytes);
  EXPECT_EQ(screen.wraps(), 0U) << "a line wrapped:\n" << bytes;
  EXPECT_TRUE(screen.unknown_sequences().empty());
  std::size_t bars = 0;
  for (const auto& line : screen.lines()) {
    EXPECT_LT(core::display_width(line), width) << line;
    if (line.find(" hosts · ") != std::string::npos) ++bars;
  }
  // Only the last bar, still open.
  EXPECT_EQ(bars, 1U) << bytes;
  EXPECT_NE(screen.lines().back().find("10/10 hosts · 1 error"), std::string::npos) << bytes;
  const auto lines = screen.lines();
  std::string screen_text;
  for (const auto& line : lines) screen_text += line + "\n";
  // Every finished host is named, successes too.
  for (int i = 1; i <= 10; ++i) {
    EXPECT_NE(screen_text.find("] host-" + std::to_string(i) + ":"), std::string::npos)
        << "host-" << i << " is not named:\n"
        << screen_text;
  }
  EXPECT_NE(screen_text.find("[1/10] host-1: ok (40s)"), std::string::npos) << screen_text;
  EXPECT_NE(screen_text.find("[2/10] host-2: FAILED"), std::string::npos) << screen_text;

  // The result: the last bar stays above it, as in the guide's example c.
  t.out.str("");
  view->result(failed_result());
  screen.feed(t.out.str());
  const auto after = screen.lines();
  ASSERT_GE(after.size(), lines.size());
  EXPECT_NE(after[lines.size() - 1].find("10/10 hosts · 1 error"), std::string::npos);
  EXPECT_TRUE(after[lines.size()].starts_with("--- result: Failed")) << t.out.str();
}

INSTANTIATE_TEST_SUITE_P(Widths, LiveViewAtWidth, ::testing::Values(40, 120));

TEST(LiveView, TheBarIsErasedBeforeEachHostLine) {
  TestTerminal t(120);
  core::VirtualClock clock;
  auto view = make_view(OutputMode::terminal, t.terminal, clock);
  const auto bytes = run_rollout(*view, t, clock);
  for (int i = 1; i <= 10; ++i) {
    const auto at = bytes.find("] host-" + std::to_string(i) + ":");
    ASSERT_NE(at, std::string::npos) << i;
    const auto line_start = bytes.rfind('[', at);
    ASSERT_GE(line_start, 4U);
    EXPECT_EQ(bytes.substr(line_start - 4, 4), "\r\033[K") << "host-" << i << ":\n" << bytes;
  }
  // Every redraw of the bar starts at the first column and erases what a longer one left.
  std::size_t redraws = 0;
  for (auto at = bytes.find("hosts · "); at != std::string::npos;
       at = bytes.find("hosts · ", at + 1)) {
    const auto start = bytes.rfind('\r', at);
    ASSERT_NE(start, std::string::npos);
    EXPECT_NE(bytes.find("\033[K", at), std::string::npos);
    ++redraws;
  }
  EXPECT_GE(redraws, 10U);
}

TEST(LiveView, ShowsTheHostsInFlightAtTheirStep) {
  TestTerminal t(160);
  core::VirtualClock clock;
  auto view = make_view(OutputMode::terminal, t.terminal, clock);
  view->plan(ten_host_plan());
  view->host_started("host-1");
  view->host_started("host-2");
  view->host_started("host-3");
  view->host_step("host-1", "pull");
  view->host_step("host-2", "settle");
  view->tick({10, 0, 0, 3, seconds(5)});
  testing::ScreenEmulator screen(160);
  screen.feed(t.out.str());
  const auto last = screen.lines().back();
  // host-3 reported no step (an ssm host): "running". No host finished: no ETA yet.
  EXPECT_NE(last.find("0/10 hosts · 0 errors · 5s · ETA … · host-1 pull, host-2 settle, host-3 "
                      "running"),
            std::string::npos)
      << last;
}

// Hosts leave the bar as they finish or are withdrawn, in any order; the rest keep their start
// order and their steps.
TEST(LiveView, HostsLeaveTheBarInAnyOrderAndTheRestKeepTheirSteps) {
  TestTerminal t(160);
  core::VirtualClock clock;
  auto view = make_view(OutputMode::terminal, t.terminal, clock);
  view->plan(ten_host_plan());
  for (int i = 1; i <= 4; ++i) {
    view->host_started("host-" + std::to_string(i));
  }
  view->host_step("host-4", "pull");
  view->host_finished(ok_record("host-2", seconds(5)), {10, 1, 0, 3, seconds(5)});
  view->host_withdrawn("host-1", "interrupted before it started");
  view->host_step("host-3", "settle");
  view->tick({10, 1, 0, 2, seconds(6)});
  testing::ScreenEmulator screen(160);
  screen.feed(t.out.str());
  const auto last = screen.lines().back();
  EXPECT_NE(last.find("host-3 settle, host-4 pull"), std::string::npos) << last;
  EXPECT_EQ(last.find("host-1"), std::string::npos) << last;
  EXPECT_EQ(last.find("host-2"), std::string::npos) << last;
}

TEST(LiveView, TheEtaComesWithTheFirstFinishedHost) {
  TestTerminal t(160);
  core::VirtualClock clock;
  auto view = make_view(OutputMode::terminal, t.terminal, clock);
  view->plan(ten_host_plan());
  for (int i = 1; i <= 5; ++i) view->host_started("host-" + std::to_string(i));
  clock.sleep_for(seconds(60));
  // host-1 took 60 s; 4 in flight for 60 s are due now, 5 to start: one wave of 60 s.
  view->host_finished(ok_record("host-1", seconds(60)), {10, 1, 0, 4, seconds(60)});
  testing::ScreenEmulator screen(160);
  screen.feed(t.out.str());
  EXPECT_NE(screen.lines().back().find("1/10 hosts · 0 errors · 60s · ETA 1m00s"),
            std::string::npos)
      << screen.lines().back();
}

TEST(LiveView, ColoursOkFailedAndWarningsOnlyWhenAsked) {
  for (const bool colour : {true, false}) {
    TestTerminal t(120);
    core::VirtualClock clock;
    auto view = make_view(OutputMode::terminal, t.terminal, clock, colour);
    const auto bytes = run_rollout(*view, t, clock);
    t.out.str("");
    view->result(failed_result());
    view->notice("interrupted: no new host will start");
    const auto all = bytes + t.out.str();
    const bool green = all.find("\033[32m[1/10] host-1: ok (40s)\033[0m\n") != std::string::npos;
    const bool red = all.find("\033[31m[2/10] host-2: FAILED") != std::string::npos &&
                     all.find("\033[31m--- result: Failed (9/10, 1 error)") != std::string::npos;
    const bool yellow = all.find("\033[33minterrupted") != std::string::npos;
    EXPECT_EQ(green, colour);
    EXPECT_EQ(red, colour);
    EXPECT_EQ(yellow, colour);
    if (!colour) {
      EXPECT_EQ(all.find("\033[3"), std::string::npos) << all;
    }
  }
}

TEST(ColourChoice, NoColorAndTheOptionDecide) {
  const std::optional<std::string> unset;
  EXPECT_TRUE(colour_enabled(ColorChoice::automatic, true, unset));
  EXPECT_FALSE(colour_enabled(ColorChoice::automatic, true, std::string("1")));
  EXPECT_FALSE(colour_enabled(ColorChoice::automatic, true, std::string("no")));
  // no-color.org: an empty value is as if it were unset.
  EXPECT_TRUE(colour_enabled(ColorChoice::automatic, true, std::string("")));
  EXPECT_FALSE(colour_enabled(ColorChoice::automatic, false, unset));  // a pipe
  EXPECT_TRUE(colour_enabled(ColorChoice::always, false, std::string("1")));
  EXPECT_FALSE(colour_enabled(ColorChoice::never, true, unset));
  EXPECT_EQ(parse_color_choice("auto"), ColorChoice::automatic);
  EXPECT_EQ(parse_color_choice("always"), ColorChoice::always);
  EXPECT_EQ(parse_color_choice("never"), ColorChoice::never);
  EXPECT_EQ(parse_color_choice("yes"), std::nullopt);
  EXPECT_EQ(parse_color_choice(""), std::nullopt);
}

TEST(PlainView, PrintsALineWhenEachHostStartsAndWhenItFinishes) {
  TestTerminal t(80, false);
  core::VirtualClock clock;
  auto view = make_view(OutputMode::plain, t.terminal, clock);
  const auto bytes = run_rollout(*view, t, clock);
  for (int i = 1; i <= 10; ++i) {
    EXPECT_NE(bytes.find("host-" + std::to_string(i) + ": started\n"), std::string::npos)
        << i << ":\n"
        << bytes;
  }
  EXPECT_LT(bytes.find("host-1: started\n"), bytes.find("[1/10] host-1: ok (40s)\n")) << bytes;
  EXPECT_EQ(bytes.find('\r'), std::string::npos) << "no bar on a pipe";
  EXPECT_EQ(bytes.find('\033'), std::string::npos) << "no colour unless asked";
}

// A stream buffer that counts the flushes that reach it (each is one write on a real stdout).
class FlushCountingBuffer : public std::stringbuf {
 public:
  int flushes = 0;

 protected:
  int sync() override {
    ++flushes;
    return std::stringbuf::sync();
  }
};

TEST(StreamTerminal, HeldOutputGoesOutInOneFlushWhenTheLastHoldIsReleased) {
  FlushCountingBuffer out_buffer;
  FlushCountingBuffer err_buffer;
  std::istringstream in;
  std::ostream out(&out_buffer);
  std::ostream err(&err_buffer);
  StreamTerminal terminal(in, out, err, {[] { return true; }, [] { return std::size_t{80}; }});

  terminal.print("unheld\n");
  EXPECT_EQ(out_buffer.flushes, 1) << "a line outside a hold goes out at once";
  terminal.hold();
  terminal.hold();
  terminal.print("host-1: ok\n");
  terminal.status_line("[1/3]");
  terminal.print("host-2: ok\n");
  terminal.release();
  EXPECT_EQ(out_buffer.flushes, 1) << "still held by the outer hold";
  terminal.release();
  EXPECT_EQ(out_buffer.flushes, 2);
  EXPECT_EQ(out_buffer.str(), "unheld\nhost-1: ok\n\r[1/3]\033[K\r\033[Khost-2: ok\n");

  // An error while held: what was held goes out first, so stdout and stderr keep their order.
  terminal.hold();
  terminal.print("host-3: failed\n");
  terminal.error("drover: the journal could not be written\n");
  EXPECT_EQ(out_buffer.flushes, 3);
  EXPECT_EQ(err_buffer.flushes, 1);
  terminal.release();
  EXPECT_EQ(out_buffer.flushes, 4);
  terminal.release();  // one release too many changes nothing
  terminal.print("after\n");
  EXPECT_EQ(out_buffer.flushes, 5);
}

TEST(LiveView, AHeldTurnRedrawsTheBarOnceWhenItsOutputIsReleased) {
  testing::ScriptedTerminal terminal(true);
  core::VirtualClock clock;
  auto view = make_view(OutputMode::terminal, terminal, clock);
  view->plan(ten_host_plan());
  core::RolloutProgress p{10, 0, 0, 5, Duration(0)};
  for (int i = 1; i <= 5; ++i) view->host_started("host-" + std::to_string(i));
  const auto bars_before = terminal.status_lines().size();

  view->hold_output();
  for (int i = 1; i <= 4; ++i) {
    ++p.finished;
    --p.in_flight;
    view->host_finished(ok_record("host-" + std::to_string(i), seconds(40)), p);
  }
  EXPECT_EQ(terminal.status_lines().size(), bars_before) << "no bar per finished host";
  EXPECT_EQ(terminal.open_holds(), 1);
  view->release_output();
  EXPECT_EQ(terminal.open_holds(), 0);
  const auto bars = terminal.status_lines();
  ASSERT_EQ(bars.size(), bars_before + 1);
  EXPECT_NE(bars.back().find("4/10"), std::string::npos) << bars.back();
  EXPECT_NE(bars.back().find("host-5"), std::string::npos) << "the one still in flight";

  // Outside a hold, each finished host redraws the bar as before.
  ++p.finished;
  --p.in_flight;
  view->host_finished(ok_record("host-5", seconds(40)), p);
  EXPECT_EQ(terminal.status_lines().size(), bars_before + 2);
}

TEST(JsonView, EveryEventCarriesItsTimeInUtcWithMilliseconds) {
  TestTerminal t(80, false);
  core::VirtualClock clock;  // starts at 2026-11-28T00:00:00Z
  auto view = make_view(OutputMode::json, t.terminal, clock);
  view->started("6ca32b16-367e-4372-8a33-6dd9442ed2c3");
  clock.sleep_for(Duration(1234));
  view->host_started("host-1");
  view->host_step("host-1", "pull");
  clock.sleep_for(Duration(60000));
  view->host_finished(ok_record("host-1", seconds(61)), {1, 1, 0, 0, seconds(61)});
  std::istringstream lines(t.out.str());
  std::vector<nlohmann::json> events;
  for (std::string line; std::getline(lines, line);) events.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(events.size(), 4U);
  EXPECT_EQ(events[0]["time"], "2026-11-28T00:00:00.000Z");
  EXPECT_EQ(events[1]["event"], "host_started");
  EXPECT_EQ(events[1]["time"], "2026-11-28T00:00:01.234Z");
  EXPECT_EQ(events[2]["event"], "host_step");
  EXPECT_EQ(events[2]["step"], "pull");
  EXPECT_EQ(events[3]["event"], "host_finished");
  EXPECT_EQ(events[3]["time"], "2026-11-28T00:01:01.234Z");
}

}  // namespace
}  // namespace drover::cli
