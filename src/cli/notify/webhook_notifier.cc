#include "cli/notify/webhook_notifier.h"

#include <fmt/format.h>

#include <utility>

#include "cli/notify/webhook_url.h"
#include "core/input_error.h"
#include "core/printable_text.h"

namespace drover::cli {
namespace {

// How much of an error answer is quoted: enough for Slack's "invalid_token" or a proxy's
// one-line refusal, not a whole HTML page.
constexpr std::size_t kQuotedBody = 80;

std::string why_not_delivered(const HttpResponse& response, const Webhook& webhook,
                              std::chrono::milliseconds timeout) {
  if (response.failure == HttpFailure::timed_out) {
    return fmt::format("no answer within {} s (it was given up; the deploy went on)",
                       timeout.count() / 1000);
  }
  if (response.status == 0) {
    // libcurl's message starts with the request line, URL and all: scrub it.
    return core::printable(without_url(response.transport_error, webhook.url));
  }
  auto body = without_url(response.body.substr(0, kQuotedBody), webhook.url);
  return fmt::format("HTTP {}{}", response.status,
                     body.empty() ? "" : " (" + core::printable(body) + ")");
}

}  // namespace

std::vector<Webhook> resolve_webhooks(const NotifySettings& settings, const EnvLookup& env) {
  std::vector<Webhook> webhooks;
  for (const auto& configured : settings.webhooks) {
    Webhook webhook;
    webhook.format = configured.format;
    webhook.url = configured.url;
    if (!configured.url_env.empty()) {
      const auto value = env(configured.url_env);
      if (!value || value->empty()) {
        throw core::InputError(
            "notify: " + configured.name, "$" + configured.url_env + " is not set",
            "export it with the webhook's URL, or remove the webhook from [notify]");
      }
      if (!is_webhook_url(*value)) {
        throw core::InputError("notify: " + configured.name,
                               "$" + configured.url_env +
                                   " is not an http:// or https:// URL (the value is not "
                                   "shown: webhook URLs are secrets)",
                               "set it to the full URL the service gave you");
      }
      webhook.url = *value;
    }
    webhook.label = fmt::format("{} ({}, {})", configured.name, to_string(configured.format),
                                redacted_url(webhook.url));
    webhooks.push_back(std::move(webhook));
  }
  return webhooks;
}

WebhookNotifier::WebhookNotifier(std::vector<Webhook> webhooks, std::chrono::milliseconds timeout,
                                 HttpClient& http)
    : webhooks_(std::move(webhooks)), timeout_(timeout), http_(http) {}

WebhookNotifier::~WebhookNotifier() = default;

void WebhookNotifier::send(const core::DeployEvent& event) {
  if (webhooks_.empty()) return;
  const auto what = fmt::format("{} {}", event.plan->is_rollback() ? "rollback" : "deploy",
                                core::to_string(event.kind));
  const auto slack = core::slack_message(event).dump(-1, ' ', false,
                                                     nlohmann::json::error_handler_t::replace);
  const auto json = core::notification_document(event).dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(mutex_);
  for (const auto& webhook : webhooks_) {
    sends_.emplace_back([this, &webhook, what, body = webhook.format == WebhookFormat::slack
                                                          ? slack
                                                          : json]() mutable {
      deliver(webhook, std::move(what), std::move(body));
    });
  }
}

void WebhookNotifier::deliver(const Webhook& webhook, std::string what, std::string body) {
  HttpRequest request;
  request.method = "POST";
  request.url = webhook.url;
  request.headers = {{"Content-Type", "application/json"}};
  request.body = std::move(body);
  request.timeout = timeout_;
  const auto response = http_.send(request);
  if (response.failure == HttpFailure::none && response.status >= 200 && response.status < 300) {
    return;
  }
  std::lock_guard lock(mutex_);
  failures_.push_back(
      fmt::format("{}: {}: {}", webhook.label, what, why_not_delivered(response, webhook, timeout_)));
}

std::vector<std::string> WebhookNotifier::finish() {
  std::vector<std::jthread> sends;
  {
    std::lock_guard lock(mutex_);
    sends.swap(sends_);
  }
  sends.clear();  // joins: each send ends within the timeout
  std::lock_guard lock(mutex_);
  return std::exchange(failures_, {});
}

}  // namespace drover::cli
