// When an SSM command's first poll comes (transport/ssm/ssm_poll_timing.h): one interval after
// the send until a run time is known, then just after the expected end, keeping the interval's
// cadence.
#include "transport/ssm/ssm_poll_timing.h"

#include <gtest/gtest.h>

#include <limits>

namespace drover::transport {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(SsmPollTiming, WithNothingLearnedTheFirstPollIsOneIntervalAfterTheSend) {
  EXPECT_EQ(first_poll_delay(std::nullopt, seconds(2)), seconds(2));
  RunTimeEstimate estimate;
  EXPECT_FALSE(estimate.expected().has_value());
  EXPECT_EQ(first_poll_delay(estimate.expected(), seconds(2)), seconds(2));
}

TEST(SsmPollTiming, ARunAsLongAsTheIntervalIsSeenRightAfterItEndsNotAWholeIntervalLater) {
  // The 2.1 s swap against a 2 s interval: polled at 2 s it is still running, and was seen at
  // 4 s. Now the first poll comes just after its expected end (5% or 0.1 s of slack).
  EXPECT_EQ(first_poll_delay(milliseconds(2100), seconds(2)), milliseconds(2205));
}

TEST(SsmPollTiming, AShortRunIsPolledWhenItEndsButNeverSoonerThanHalfASecond) {
  EXPECT_EQ(first_poll_delay(milliseconds(800), seconds(5)), milliseconds(900));
  EXPECT_EQ(first_poll_delay(milliseconds(0), seconds(5)), milliseconds(500));
  // Nor sooner than an interval shorter than that.
  EXPECT_EQ(first_poll_delay(milliseconds(0), milliseconds(200)), milliseconds(200));
}

TEST(SsmPollTiming, ALongRunKeepsTheCadenceOnlyItsPhaseMovesSoTheFirstPollIsWithinTwoIntervals) {
  // 30 s runs with a 2 s interval: expected end plus 1.5 s slack is 31.5 s; polls at 3.5 s,
  // 5.5 s, …, 31.5 s see it end, and a host failing at once is still seen at 3.5 s.
  EXPECT_EQ(first_poll_delay(seconds(30), seconds(2)), milliseconds(3500));
  EXPECT_EQ(first_poll_delay(milliseconds(3800), seconds(2)), milliseconds(3990));
  EXPECT_EQ(first_poll_delay(milliseconds(1900), seconds(2)), seconds(2));  // ends on the beat
  for (int run_ms = 0; run_ms < 100000; run_ms += 137) {
    const auto delay = first_poll_delay(milliseconds(run_ms), seconds(2));
    EXPECT_GT(delay, milliseconds(0)) << run_ms;
    EXPECT_LT(delay, seconds(4)) << run_ms;
  }
}

TEST(SsmPollTiming, TheEstimateIsTheLongestOfTheLastRunsSeen) {
  RunTimeEstimate estimate;
  estimate.observe(2.0);
  estimate.observe(2.4);
  estimate.observe(2.1);
  EXPECT_EQ(estimate.expected(), milliseconds(2400));
  // A slow run long ago is forgotten once kRunTimesKept newer ones were seen.
  for (std::size_t i = 0; i < RunTimeEstimate::kRunTimesKept; ++i) {
    estimate.observe(1.0);
  }
  EXPECT_EQ(estimate.expected(), milliseconds(1000));
}

TEST(SsmPollTiming, ImpossibleRunTimesAreIgnored) {
  RunTimeEstimate estimate;
  estimate.observe(-3.0);  // clocks of two rows that disagree
  estimate.observe(std::numeric_limits<double>::quiet_NaN());
  estimate.observe(std::numeric_limits<double>::infinity());
  EXPECT_FALSE(estimate.expected().has_value());
  estimate.observe(1.5);
  EXPECT_EQ(estimate.expected(), milliseconds(1500));
}

}  // namespace
}  // namespace drover::transport
