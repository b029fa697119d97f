#include "cli/notify/webhook_notifier.h"

#include <fmt/format.h>

#include <algorithm>
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
    return fmt::format("no answer within {} (given up; the deploy went on)",
                       timeout.count() % 1000 == 0 ? std::to_string(timeout.count() / 1000) + " s"
                                                   : std::to_string(timeout.count()) + " ms");
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
    : timeout_(timeout), http_(http) {
  for (auto& webhook : webhooks) {
    channels_.push_back(std::make_unique<Channel>(Channel{std::move(webhook), {}, false}));
  }
  for (auto& channel : channels_) {
    workers_.emplace_back([this, &channel = *channel] { work(channel); });
  }
}

WebhookNotifier::~WebhookNotifier() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  workers_.clear();  // joins
}

void WebhookNotifier::send(const core::DeployEvent& event) {
  if (channels_.empty()) return;
  const auto what = fmt::format("{} {}", event.plan->is_rollback() ? "rollback" : "deploy",
                                core::to_string(event.kind));
  const auto dump = [](const nlohmann::json& document) {
    return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  const auto slack = dump(core::slack_message(event));
  const auto json = dump(core::notification_document(event));
  {
    std::lock_guard lock(mutex_);
    for (auto& channel : channels_) {
      channel->queue.push_back(
          {what, channel->webhook.format == WebhookFormat::slack ? slack : json});
    }
  }
  changed_.notify_all();
}

void WebhookNotifier::work(Channel& channel) {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || !channel.queue.empty(); });
    // Stopping without finish() (the command ended by an exception): what is still queued is
    // not sent, so leaving never waits longer than the one request in flight.
    if (stopping_) return;
    auto message = std::move(channel.queue.front());
    channel.queue.pop_front();
    auto timeout = timeout_;
    if (deadline_) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          *deadline_ - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        failures_.push_back(fmt::format(
            "{}: {}: not sent: the webhook was still busy with earlier events when the time "
            "allowed ran out",
            channel.webhook.label, message.what));
        changed_.notify_all();
        continue;
      }
      timeout = std::min(timeout, left);
    }
    channel.busy = true;
    lock.unlock();
    HttpRequest request;
    request.method = "POST";
    request.url = channel.webhook.url;
    request.headers = {{"Content-Type", "application/json"}};
    request.body = std::move(message.body);
    request.timeout = timeout;
    const auto response = http_.send(request);
    lock.lock();
    channel.busy = false;
    const bool delivered =
        response.failure == HttpFailure::none && response.status >= 200 && response.status < 300;
    if (!delivered) {
      failures_.push_back(fmt::format("{}: {}: {}", channel.webhook.label, message.what,
                                      why_not_delivered(response, channel.webhook, timeout)));
    }
    changed_.notify_all();
  }
}

std::vector<std::string> WebhookNotifier::finish() {
  std::unique_lock lock(mutex_);
  deadline_ = std::chrono::steady_clock::now() + timeout_;
  changed_.notify_all();
  changed_.wait(lock, [&] {
    for (const auto& channel : channels_) {
      if (channel->busy || !channel->queue.empty()) return false;
    }
    return true;
  });
  deadline_.reset();
  return std::exchange(failures_, {});
}

}  // namespace drover::cli
