// The page of `drover show ID --html FILE` in a real browser: a deploy through the CLI's world
// (support/fake_cli_world.h: the real scheduler, rollout driver and journal writer, a scripted
// fleet, a virtual clock that each host's swap moves on) writes its journal; `drover show`
// renders it; Debian's headless Chromium screenshots it; libpng decodes the PNG; and the test
// finds each host's bar by its outcome's colour, in plan order: green, red, green.
// Chromium missing is a failure, never a skip (scripts/setup.sh installs it).
#include <gtest/gtest.h>
#include <png.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/view/deploy_html.h"
#include "support/fake_cli_world.h"
#include "support/numbered_fleet.h"
#include "util/subprocess.h"

namespace drover::testing {
namespace {

using std::chrono::seconds;

struct Rgb {
  int r = 0, g = 0, b = 0;
};

Rgb rgb_of(std::string_view hex) {  // "#rrggbb"
  return {std::stoi(std::string(hex.substr(1, 2)), nullptr, 16),
          std::stoi(std::string(hex.substr(3, 2)), nullptr, 16),
          std::stoi(std::string(hex.substr(5, 2)), nullptr, 16)};
}

// A decoded screenshot, 8-bit RGBA rows (libpng's simplified API converts whatever Chromium
// wrote).
struct Picture {
  int width = 0;
  int height = 0;
  std::vector<unsigned char> rgba;

  bool is(int x, int y, Rgb colour) const {
    const auto* p = &rgba[(static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                           static_cast<std::size_t>(x)) *
                          4];
    return std::abs(p[0] - colour.r) <= 2 && std::abs(p[1] - colour.g) <= 2 &&
           std::abs(p[2] - colour.b) <= 2;
  }
};

Picture read_png(const std::filesystem::path& file) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, file.c_str())) {
    ADD_FAILURE() << "libpng cannot read " << file << ": " << image.message;
    return {};
  }
  image.format = PNG_FORMAT_RGBA;
  Picture picture;
  picture.width = static_cast<int>(image.width);
  picture.height = static_cast<int>(image.height);
  picture.rgba.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, picture.rgba.data(), 0, nullptr)) {
    ADD_FAILURE() << "libpng cannot decode " << file << ": " << image.message;
    png_image_free(&image);
    return {};
  }
  return picture;
}

// A horizontal band of pixel rows holding a colour, with how many of its pixels are that colour.
struct Band {
  std::string outcome;
  int top = 0;
  int bottom = 0;  // inclusive
  int pixels = 0;
};

// The bands of `colour`: runs of pixel rows where at least `min_pixels` pixels have it. Only
// bands at least `min_height` tall count: the legend's swatches (12 px) have the colours too,
// the timeline's bars are 16 px.
std::vector<Band> bands_of(const Picture& picture, Rgb colour, const std::string& outcome,
                           int min_pixels, int min_height) {
  std::vector<Band> bands;
  std::optional<Band> open;
  for (int y = 0; y <= picture.height; ++y) {
    int count = 0;
    for (int x = 0; y < picture.height && x < picture.width; ++x) {
      if (picture.is(x, y, colour)) ++count;
    }
    if (count >= min_pixels) {
      if (!open) open = Band{outcome, y, y, 0};
      open->bottom = y;
      open->pixels += count;
    } else if (open) {
      if (open->bottom - open->top + 1 >= min_height) bands.push_back(*open);
      open.reset();
    }
  }
  return bands;
}

TEST(DeployPageBrowser, ChromiumDrawsEachHostsRowInItsOutcomesColour) {
  PosixProcessRunner runner;
  ProcessResult version;
  try {
    version = runner.run({"chromium", "--version"});
  } catch (const std::runtime_error& e) {
    FAIL() << "chromium cannot be run (" << e.what()
           << "): `apt-get install chromium` (scripts/setup.sh installs it); this test never "
              "skips";
  }
  ASSERT_EQ(version.exit_code, 0) << version.err;

  // 3 hosts one at a time, the middle one failing; halt_percent 50 lets all three run.
  FakeCliWorld world(fleet_of(3), "[speeds.routine]\nconcurrency = 1\nhalt_percent = 50\n");
  world.transport.script("host-1").during_swap = [&world] { world.clock.advance(seconds(20)); };
  world.transport.script("host-2").during_swap = [&world] { world.clock.advance(seconds(15)); };
  world.transport.script("host-2").swap_answer = core::TransportStatus::timed_out;
  world.transport.script("host-3").during_swap = [&world] { world.clock.advance(seconds(10)); };
  // 5: verification finds host-2's bots still on v1.
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 5) << world.terminal.err();
  const auto id = world.journaled_deploys().at(0);
  const auto dir = world.state_root().parent_path();
  const auto page = dir / "deploy.html";
  ASSERT_EQ(world.run({"show", id, "--html", page.string()}), 0) << world.terminal.err();

  const auto png = dir / "deploy.png";
  ProcessOptions options;
  options.timeout = std::chrono::seconds(120);
  const auto shot = runner.run(
      {"chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
       "--hide-scrollbars", "--user-data-dir=" + (dir / "chromium-profile").string(),
       "--screenshot=" + png.string(), "--window-size=1200,800", "file://" + page.string()},
      options);
  ASSERT_TRUE(std::filesystem::exists(png))
      << "chromium wrote no screenshot (exit " << shot.exit_code << ", timed out " << shot.timed_out
      << "):\n"
      << shot.err;
  const auto picture = read_png(png);
  ASSERT_EQ(picture.width, 1200);
  ASSERT_EQ(picture.height, 800);

  // A bar is at least 30 px wide here (10 s of a 45 s axis on 700 px is ~155 px).
  std::vector<Band> bands;
  for (const auto outcome : {core::TimelineOutcome::ok, core::TimelineOutcome::failed}) {
    const auto found = bands_of(picture, rgb_of(cli::timeline_colour(outcome)),
                                std::string(core::to_string(outcome)), 30, 14);
    bands.insert(bands.end(), found.begin(), found.end());
  }
  std::sort(bands.begin(), bands.end(), [](const Band& a, const Band& b) { return a.top < b.top; });
  std::vector<std::string> order;
  for (const auto& band : bands) order.push_back(band.outcome);
  EXPECT_EQ(order, (std::vector<std::string>{"ok", "failed", "ok"}))
      << "host-1 ok, host-2 failed, host-3 ok, top to bottom (" << bands.size() << " bands)";
  for (std::size_t i = 1; i < bands.size(); ++i) {
    EXPECT_EQ(bands[i].top - bands[i - 1].top, cli::kTimelineRowHeight)
        << "one row apart: band " << i;
  }
  for (const auto& band : bands) {
    EXPECT_EQ(band.bottom - band.top + 1, 16) << band.outcome << " bar at y " << band.top;
  }
  // Widths follow the durations: host-1's 20 s bar is twice host-3's 10 s one.
  if (bands.size() == 3) {
    const double ratio = static_cast<double>(bands[0].pixels) / bands[2].pixels;
    EXPECT_NEAR(ratio, 2.0, 0.1) << bands[0].pixels << " vs " << bands[2].pixels << " pixels";
  }
}

}  // namespace
}  // namespace drover::testing
