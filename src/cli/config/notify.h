#pragma once
// The [notify] table of drover.toml: webhooks told about every deploy and rollback (when it
// starts, halts, is interrupted and finishes, with the verification result):
//
//   [notify]
//   timeout = 5                    # seconds one webhook may take (1..30); a failing or hanging
//                                  # webhook never fails a deploy nor delays it longer than this
//
//   [[notify.webhook]]             # one per webhook
//   url = "https://hooks.slack.com/services/…"   # or, to keep the secret out of the file:
//   # url_env = "DROVER_SLACK_WEBHOOK"           # the environment variable holding the URL
//   format = "slack"               # slack (incoming-webhook JSON with a readable text) | json
//   name = "trading-ops"           # optional: how messages name it (default "webhook N")
//
// Webhook URLs are secrets (cli/notify/webhook_url.h): no error message quotes one.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/config/table.h"

namespace drover::cli {

enum class WebhookFormat { slack, json };

/// "slack", "json".
std::string_view to_string(WebhookFormat format);

struct WebhookSettings {
  std::string url;      // exactly one of url and url_env is set
  std::string url_env;  // resolved when a command runs (notify/webhook_notifier.h)
  WebhookFormat format = WebhookFormat::slack;
  std::string name;  // for messages; "webhook N" when not given

  bool operator==(const WebhookSettings&) const = default;
};

struct NotifySettings {
  std::vector<WebhookSettings> webhooks;
  std::chrono::milliseconds timeout{std::chrono::seconds(5)};

  bool operator==(const NotifySettings&) const = default;
};

/// The settings from `table` (absent: no webhooks). Throws core::InputError at the key's line,
/// never quoting a URL.
NotifySettings read_notify_settings(const std::optional<ConfigTable>& table);

}  // namespace drover::cli
