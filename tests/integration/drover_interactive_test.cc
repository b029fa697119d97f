// The operator's interactive deploy, driven through a real pseudo-terminal: the speed table and
// choice, the plan box, the one confirmation (a wrong answer touches nothing), and the refusal
// to deploy without a terminal unless -y says so.
#include <gtest/gtest.h>

#include "core/text_columns.h"
#include "support/drover_fleet.h"
#include "support/pty_session.h"
#include "support/screen_emulator.h"
#include "support/test_env.h"

namespace drover::testing {
namespace {

void expect_all_untouched(DroverFleet& fleet, const std::map<int, docker::ContainerInfo>& before) {
  for (const auto& [id, info] : before) {
    auto now = fleet.bot(id);
    EXPECT_EQ(now.id, info.id) << "bot" << id << " was replaced";
    EXPECT_EQ(now.state.started_at, info.state.started_at) << "bot" << id << " was restarted";
    EXPECT_EQ(fleet.version(id), "v1") << "bot" << id;
  }
}

TEST(DroverInteractiveIT, AWrongHostCountAbortsAndTheRightOneDeploys) {
  DroverFleet fleet(DROVER_BIN, "e2e-pty", {{"host-1", {8401}}, {"host-2", {8402}}});
  fleet.run_all("v1");
  auto before = fleet.snapshot();

  {
    // The image is given; the speed is asked for, with the table first (the guide's example a).
    LiveProcess pty(LiveProcess::Mode::pty,
                    fleet.argv({"deploy", "all", "v2", "--straggler-wait", "3"}), fleet.env());
    ASSERT_TRUE(pty.wait_for("Deploy speed for ALL 2 production hosts (~2 bots):")) << pty.output();
    ASSERT_TRUE(pty.wait_for("choose 1=routine 2=fast 3=immediate:")) << pty.output();
    EXPECT_EQ(
        first_missing(pty.output(), {"hosts/at", "halt-errs", "routine", "fast", "immediate"}), "")
        << pty.output();
    pty.send_line("1");
    // Example b: the plan box, then one confirmation by host count.
    ASSERT_TRUE(pty.wait_for("================ deploy plan ================")) << pty.output();
    ASSERT_TRUE(pty.wait_for("Proceed? type the host count (2):")) << pty.output();
    EXPECT_EQ(
        first_missing(pty.output(), {"Target        ALL production bots",
                                     "Hosts         2 (~2 bots)", "Speed         routine",
                                     "Error halt    10%", "Image         " + image("bot", "v2"),
                                     "Digest        " + registry() + "/drover-test/bot@sha256:"}),
        "")
        << pty.output();
    pty.send_line("3");
    auto code = pty.wait_exit();
    ASSERT_TRUE(code.has_value()) << pty.output();
    EXPECT_EQ(*code, 3) << pty.output();
    EXPECT_NE(pty.output().find("aborted: expected '2', got '3'; nothing was touched"),
              std::string::npos)
        << pty.output();
    EXPECT_EQ(pty.output().find("command: "), std::string::npos) << pty.output();
  }
  expect_all_untouched(fleet, before);
  EXPECT_TRUE(fleet.journal_files().empty()) << "a refused deploy must not be journaled";

  {
    // Everything prompted but the target: speed, then the image, then the host count.
    LiveProcess pty(LiveProcess::Mode::pty, fleet.argv({"deploy", "all", "--straggler-wait", "3"}),
                    fleet.env());
    ASSERT_TRUE(pty.wait_for("choose 1=routine 2=fast 3=immediate:")) << pty.output();
    pty.send_line("1");
    ASSERT_TRUE(pty.wait_for("Image (a tag or a reference) [" + image("bot", "v1") + "]:"))
        << pty.output();
    pty.send_line("v2");
    ASSERT_TRUE(pty.wait_for("================ deploy plan ================")) << pty.output();
    ASSERT_TRUE(pty.wait_for("Proceed? type the host count (2):")) << pty.output();
    pty.send_line("2");
    auto code = pty.wait_exit();
    ASSERT_TRUE(code.has_value()) << pty.output();
    EXPECT_EQ(*code, 0) << pty.output();
    // Example c on a TTY: the deploy id line, the live bar, the result; then d.
    EXPECT_EQ(first_missing(pty.output(),
                            {"command: ", "2/2 hosts · 0 errors",
                             "--- result: Success (2/2, 0 errors)", "on deployed version : 2/2"}),
              "")
        << pty.output();
  }
  for (int id : fleet.all_bots()) {
    EXPECT_EQ(fleet.version(id), "v2") << "bot" << id;
    EXPECT_TRUE(fleet.bot(id).state.running) << "bot" << id;
  }
}

// Issue 14: at 40 columns the live bar is redrawn in place: every redraw starts at the first
// column ("\r") and ends erasing the rest of the line ("\033[K"), none reaches the last column,
// and a terminal emulator replaying what drover wrote shows one bar, never a stacked copy.
// Colour follows NO_COLOR. Bot ids 9024-9025.
TEST(DroverInteractiveIT, At40ColumnsTheLiveBarNeverStacks) {
  constexpr unsigned short kColumns = 40;
  DroverFleet fleet(DROVER_BIN, "e2e-pty-40", {{"host-1", {9024}}, {"host-2", {9025}}});
  fleet.run_all("v1");
  for (const auto& [tag, no_color] : {std::pair{"v2", ""}, std::pair{"v1", "1"}}) {
    auto env = fleet.env();
    env["NO_COLOR"] = no_color;
    LiveProcess pty(LiveProcess::Mode::pty,
                    fleet.argv({"deploy", "all", "routine", tag, "-y", "--straggler-wait", "3"}),
                    env, kColumns);
    auto code = pty.wait_exit();
    ASSERT_TRUE(code.has_value()) << pty.output();
    ASSERT_EQ(*code, 0) << pty.output();
    const auto& out = pty.output();
    // From the line after the deploy id (printed whole, it may wrap: it is never redrawn).
    auto begin = out.find("command: ");
    if (begin != std::string::npos) begin = out.find('\n', begin);
    const auto end = out.find("--- result: ");
    ASSERT_NE(begin, std::string::npos) << out;
    ASSERT_NE(end, std::string::npos) << out;
    const auto live = out.substr(begin, end - begin);

    std::size_t redraws = 0;
    for (auto at = live.find('\r'); at != std::string::npos; at = live.find('\r', at + 1)) {
      if (at + 1 < live.size() && live[at + 1] == '\n') continue;  // a line's end on a pty
      if (live.compare(at + 1, 3, "\033[K") == 0) continue;        // erasing the bar
      const auto erase = live.find("\033[K", at);
      ASSERT_NE(erase, std::string::npos) << "a redraw that does not erase:\n" << live;
      const auto text = live.substr(at + 1, erase - at - 1);
      ScreenEmulator one(1000);
      one.feed(text);
      EXPECT_LT(core::display_width(one.lines().front()), std::size_t{kColumns}) << text;
      ++redraws;
    }
    EXPECT_GE(redraws, 2U) << live;

    ScreenEmulator screen(kColumns);
    screen.feed(live);
    EXPECT_EQ(screen.wraps(), 0U) << live;
    std::size_t bars = 0;
    for (const auto& line : screen.lines()) {
      if (line.find("2 hosts · ") != std::string::npos) ++bars;
    }
    EXPECT_EQ(bars, 1U) << "stacked bars:\n" << live;
    // Both hosts are named when they finish, successes too.
    EXPECT_NE(live.find("host-1: "), std::string::npos) << live;
    EXPECT_NE(live.find("host-2: "), std::string::npos) << live;
    const bool coloured = out.find("\033[32m") != std::string::npos;
    EXPECT_EQ(coloured, std::string(no_color).empty()) << "NO_COLOR=" << no_color;
  }
  for (int id : fleet.all_bots()) EXPECT_EQ(fleet.version(id), "v1") << "bot" << id;
}

TEST(DroverInteractiveIT, AOneBotDeployAsksForYesAndAnythingElseAborts) {
  DroverFleet fleet(DROVER_BIN, "e2e-pty-bot", {{"host-1", {8421, 8422}}});
  fleet.run_all("v1");
  auto before = fleet.snapshot();

  LiveProcess pty(LiveProcess::Mode::pty, fleet.argv({"deploy", "bot", "8422", "v2"}), fleet.env());
  ASSERT_TRUE(pty.wait_for("choose 1=routine 2=fast:")) << pty.output();
  pty.send_line("2");
  ASSERT_TRUE(pty.wait_for("Speed         fast")) << pty.output();
  ASSERT_TRUE(pty.wait_for("Proceed? type yes to deploy bot8422:")) << pty.output();
  pty.send_line("y");
  auto code = pty.wait_exit();
  ASSERT_TRUE(code.has_value()) << pty.output();
  EXPECT_EQ(*code, 3) << pty.output();
  EXPECT_NE(pty.output().find("aborted: expected 'yes', got 'y'"), std::string::npos)
      << pty.output();
  expect_all_untouched(fleet, before);
  EXPECT_TRUE(fleet.journal_files().empty());
}

TEST(DroverInteractiveIT, WithoutATerminalAndWithoutYesTheDeployIsRefused) {
  DroverFleet fleet(DROVER_BIN, "e2e-notty", {{"host-1", {8411}}, {"host-2", {8412}}});
  fleet.run_all("v1");
  auto before = fleet.snapshot();

  for (const auto& args : std::vector<std::vector<std::string>>{
           {"deploy", "all", "routine", "v2"}, {"deploy", "all", "v2"}, {"deploy", "staging"}}) {
    auto run = fleet.drover(args);
    if (args.size() == 2) {
      // No staging hosts in this fleet: a configuration problem, found before the prompt.
      EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
      EXPECT_NE(run.err.find("has no staging hosts"), std::string::npos) << run.err;
      continue;
    }
    EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
    EXPECT_NE(run.err.find("no terminal to confirm"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("pass -y"), std::string::npos) << run.err;
  }
  expect_all_untouched(fleet, before);
  EXPECT_TRUE(fleet.journal_files().empty());
}

}  // namespace
}  // namespace drover::testing
