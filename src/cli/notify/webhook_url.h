#pragma once
// Webhook URLs are secrets: a Slack incoming-webhook URL is its own credential (whoever has it
// can post to the channel). drover keeps them out of every message, log and journal: a webhook
// is named by its scheme and host only ("https://hooks.slack.com/…"), and anything that may
// quote the URL (libcurl's errors) is scrubbed first.
#include <string>
#include <string_view>

namespace drover::cli {

/// True for an absolute http:// or https:// URL with a host and nothing a request line could
/// not carry (no whitespace or control characters).
bool is_webhook_url(std::string_view url);

/// "https://hooks.slack.com/…": the scheme and host (user info dropped), "/…" when there was
/// more. Never the path or query, where the token lives.
std::string redacted_url(std::string_view url);

/// `text` with every occurrence of `url` replaced by redacted_url(url).
std::string without_url(std::string text, std::string_view url);

}  // namespace drover::cli
