#include "util/rfc3339.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdint>

namespace drover {
namespace {

// Reads exactly `width` ASCII digits at `pos`; the grammar has fixed-width fields only, so a
// short or long field is a malformed timestamp rather than something to be lenient about.
std::optional<int> fixed_digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool is_char(std::string_view text, std::size_t pos, char c) {
  return pos < text.size() && text[pos] == c;
}

struct Parsed {
  std::int64_t unix_seconds = 0;
  std::int64_t nanos = 0;  // the fraction, 0..999'999'999
};

std::optional<Parsed> parse(std::string_view text);

}  // namespace

std::optional<std::int64_t> parse_rfc3339_unix_seconds(std::string_view text) {
  auto parsed = parse(text);
  if (!parsed) return std::nullopt;
  return parsed->unix_seconds;
}

std::optional<std::int64_t> parse_rfc3339_unix_nanos(std::string_view text) {
  auto parsed = parse(text);
  constexpr std::int64_t kLimit = INT64_MAX / 1'000'000'000 - 1;
  if (!parsed || parsed->unix_seconds > kLimit || parsed->unix_seconds < -kLimit) {
    return std::nullopt;
  }
  return parsed->unix_seconds * 1'000'000'000 + parsed->nanos;
}

namespace {

std::optional<Parsed> parse(std::string_view text) {
  auto year = fixed_digits(text, 0, 4);
  auto month = fixed_digits(text, 5, 2);
  auto day = fixed_digits(text, 8, 2);
  auto hour = fixed_digits(text, 11, 2);
  auto minute = fixed_digits(text, 14, 2);
  auto second = fixed_digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (!is_char(text, 4, '-') || !is_char(text, 7, '-') || !is_char(text, 13, ':') ||
      !is_char(text, 16, ':')) {
    return std::nullopt;
  }
  // RFC 3339 §5.6 allows a lower-case 't' and, by note, a space between date and time.
  char separator = text[10];
  if (separator != 'T' && separator != 't' && separator != ' ') return std::nullopt;
  if (*hour > 23 || *minute > 59 || *second > 60) return std::nullopt;

  std::chrono::year_month_day date{std::chrono::year{*year},
                                   std::chrono::month{static_cast<unsigned>(*month)},
                                   std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::nullopt;

  std::size_t pos = 19;
  std::int64_t nanos = 0;
  if (is_char(text, pos, '.')) {
    std::size_t digits = 0;
    for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
      if (digits < 9) nanos = nanos * 10 + (text[pos] - '0');
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    for (auto d = digits; d < 9; ++d) nanos *= 10;
  }

  std::int64_t offset_seconds = 0;
  if (is_char(text, pos, 'Z') || is_char(text, pos, 'z')) {
    ++pos;
  } else if (is_char(text, pos, '+') || is_char(text, pos, '-')) {
    auto off_hour = fixed_digits(text, pos + 1, 2);
    auto off_minute = fixed_digits(text, pos + 4, 2);
    if (!off_hour || !off_minute || !is_char(text, pos + 3, ':')) return std::nullopt;
    if (*off_hour > 23 || *off_minute > 59) return std::nullopt;
    offset_seconds = (*off_hour * 3600 + *off_minute * 60) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  std::int64_t days = std::chrono::sys_days{date}.time_since_epoch().count();
  std::int64_t local = days * 86400 + *hour * 3600 + *minute * 60 + *second;
  // Local time = UTC + offset, so UTC = local - offset.
  return Parsed{local - offset_seconds, nanos};
}

}  // namespace

std::string format_rfc3339_utc_millis(WallTime time) {
  using namespace std::chrono;
  const auto millis = floor<milliseconds>(time);
  const auto day = floor<days>(millis);
  const year_month_day date{day};
  const hh_mm_ss clock{millis - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     clock.hours().count(), clock.minutes().count(), clock.seconds().count(),
                     clock.subseconds().count());
}

}  // namespace drover
