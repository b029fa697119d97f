#include "aws/credential_json.h"

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "aws/aws_error.h"

namespace drover::aws {
namespace {

// Reads exactly `digits` decimal digits at `pos`; -1 when they are not there.
int read_number(std::string_view text, std::size_t pos, int digits) {
  if (pos + digits > text.size()) {
    return -1;
  }
  int value = 0;
  for (int i = 0; i < digits; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') {
      return -1;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS
  const int year = read_number(text, 0, 4);
  const int month = read_number(text, 5, 2);
  const int day = read_number(text, 8, 2);
  const int hour = read_number(text, 11, 2);
  const int minute = read_number(text, 14, 2);
  const int second = read_number(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 60 || text.size() < 19 ||
      text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      ++pos;  // sub-second precision does not matter for a refresh margin of minutes
    }
  }
  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '+' ? 1 : -1;
    const int off_hours = read_number(text, pos + 1, 2);
    const bool colon = pos + 3 < text.size() && text[pos + 3] == ':';
    const int off_minutes = read_number(text, pos + (colon ? 4 : 3), 2);
    if (off_hours < 0 || off_minutes < 0) {
      return std::nullopt;
    }
    offset_minutes = sign * (off_hours * 60 + off_minutes);
    pos += colon ? 6 : 5;
  } else {
    return std::nullopt;  // a time without a zone is ambiguous; AWS always sends one
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) {
    return std::nullopt;
  }
  return std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second) - std::chrono::minutes(offset_minutes);
}

Credentials credentials_from_json(const std::string& body, const JsonCredentialFields& fields,
                                  const std::string& source, const std::string& error_code) {
  // Parse errors from nlohmann quote the offending text, which may be a secret: only say where.
  const auto document = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    throw AwsError(error_code, source + " did not return a JSON object");
  }
  const auto text_field = [&](const char* name, bool required) -> std::string {
    auto it = document.find(name);
    if (it == document.end() || it->is_null()) {
      if (required) {
        throw AwsError(error_code, source + " returned no " + std::string(name));
      }
      return "";
    }
    if (!it->is_string() || (required && it->get_ref<const std::string&>().empty())) {
      throw AwsError(error_code,
                     source + " returned " + std::string(name) + " that is not a non-empty string");
    }
    return it->get<std::string>();
  };
  Credentials credentials;
  credentials.access_key_id = text_field("AccessKeyId", true);
  credentials.secret_access_key = text_field("SecretAccessKey", true);
  credentials.session_token = text_field(fields.token_field, false);
  const auto expiration = text_field("Expiration", fields.expiration_required);
  if (!expiration.empty()) {
    credentials.expiration = parse_iso8601(expiration);
    if (!credentials.expiration) {
      // The value is not quoted back: a broken helper may have put anything there.
      throw AwsError(error_code, source +
                                     " returned an Expiration that is not an ISO 8601 time such "
                                     "as 2024-05-01T12:00:00Z");
    }
  }
  credentials.source = source;
  return credentials;
}

}  // namespace drover::aws
