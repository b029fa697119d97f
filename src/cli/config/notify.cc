#include "cli/config/notify.h"

#include <fmt/format.h>

#include "cli/notify/webhook_url.h"
#include "core/name_table.h"
#include "core/printable_text.h"

namespace drover::cli {
namespace {

const Expected kWebhooks{"one [[notify.webhook]] table per webhook",
                         "[[notify.webhook]]  then  url_env = \"DROVER_SLACK_WEBHOOK\""};
const Expected kUrl{"the webhook's URL in quotes", "url = \"https://hooks.slack.com/services/…\""};
const Expected kUrlEnv{"an environment variable's name in quotes",
                       "url_env = \"DROVER_SLACK_WEBHOOK\""};
const Expected kFormat{"\"slack\" or \"json\"", "format = \"slack\""};
const Expected kName{"a name in quotes", "name = \"trading-ops\""};
const Expected kTimeout{"a number of seconds", "timeout = 5"};

constexpr std::int64_t kMaxTimeoutS = 30;

constexpr core::NameTable<WebhookFormat, 2> kFormatNames{{
    {WebhookFormat::slack, "slack"},
    {WebhookFormat::json, "json"},
}};
static_assert(core::covers_every_value(kFormatNames));

bool is_variable_name(std::string_view name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  for (char c : name) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

WebhookSettings read_webhook(const ConfigTable& t, std::size_t index) {
  t.allow_only({"url", "url_env", "format", "name"});
  WebhookSettings webhook;
  auto url = t.string("url", kUrl);
  auto url_env = t.string("url_env", kUrlEnv);
  if (url && url_env) {
    t.fail("url_env", "both url and url_env are set", "keep one of them");
  }
  if (!url && !url_env) {
    t.fail("url", "is missing",
           "give the URL, or better the variable holding it: url_env = \"DROVER_SLACK_WEBHOOK\"");
  }
  if (url) {
    if (!is_webhook_url(*url)) {
      // The value is not quoted: it may be a secret with a typo in it.
      t.fail("url",
             "is not an http:// or https:// URL (the value is not shown: webhook URLs "
             "are secrets)",
             "give the full URL the service gave you, e.g. https://hooks.slack.com/services/…");
    }
    webhook.url = *url;
  } else {
    if (!is_variable_name(*url_env)) {
      t.fail("url_env",
             fmt::format("'{}' is not an environment variable name", core::printable(*url_env)),
             "use letters, digits and _, e.g. url_env = \"DROVER_SLACK_WEBHOOK\"");
    }
    webhook.url_env = *url_env;
  }
  if (auto format = t.string("format", kFormat)) {
    auto parsed = core::value_named(kFormatNames, *format);
    if (!parsed) {
      t.fail("format", fmt::format("'{}' is not a webhook format", core::printable(*format)),
             "use format = \"slack\" or format = \"json\"");
    }
    webhook.format = *parsed;
  }
  webhook.name = t.string("name", kName).value_or(fmt::format("webhook {}", index + 1));
  return webhook;
}

}  // namespace

std::string_view to_string(WebhookFormat format) {
  return core::name_of(kFormatNames, format);
}

NotifySettings read_notify_settings(const std::optional<ConfigTable>& table) {
  NotifySettings settings;
  if (!table) return settings;
  table->allow_only({"timeout", "webhook"});
  const auto timeout = table->integer("timeout", kTimeout).value_or(5);
  if (timeout < 1 || timeout > kMaxTimeoutS) {
    table->fail("timeout", fmt::format("{} s is out of range", timeout),
                fmt::format("give 1 to {} seconds, e.g. timeout = 5", kMaxTimeoutS));
  }
  settings.timeout = std::chrono::seconds(timeout);
  const toml::array* entries = table->array("webhook", kWebhooks);
  if (!entries) return settings;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const toml::node& entry = *entries->get(i);
    const auto path = fmt::format("{}[{}]", table->key_path("webhook"), i);
    if (!entry.is_table()) {
      config_error(table->place_of(entry, path),
                   fmt::format("expected a table, got {}", describe_node(entry)),
                   "write each webhook as a [[notify.webhook]] section");
    }
    settings.webhooks.push_back(
        read_webhook(ConfigTable(*entry.as_table(), table->file(), path), i));
  }
  return settings;
}

}  // namespace drover::cli
