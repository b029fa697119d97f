#pragma once
// Sends a deploy's or rollback's events (core/deploy_notification.h) to the webhooks of
// drover.toml's [notify]. Each event goes to every webhook on a thread of its own, so a slow
// webhook never holds up the rollout; each request is cut off after the configured timeout,
// so finish() at the end of the command waits at most that long for the last one. A webhook
// that fails or times out never fails the deploy: finish() returns one line per failed
// delivery for the command to show, naming the webhook without its URL (webhook_url.h).
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/config/notify.h"
#include "cli/state/state_dir.h"
#include "core/deploy_notification.h"
#include "util/http/http_client.h"

namespace drover::cli {

/// A webhook ready to send to.
struct Webhook {
  std::string url;  // a secret: never printed, logged or journaled
  WebhookFormat format = WebhookFormat::slack;
  std::string label;  // "trading-ops (slack, https://hooks.slack.com/…)"
};

/// The webhooks of `settings`, with url_env read through `env`. Throws core::InputError when a
/// variable is unset or empty, or holds something that is not an http(s) URL.
std::vector<Webhook> resolve_webhooks(const NotifySettings& settings, const EnvLookup& env);

class WebhookNotifier {
 public:
  WebhookNotifier(std::vector<Webhook> webhooks, std::chrono::milliseconds timeout,
                  HttpClient& http);
  /// Waits for the sends still in flight (each ends within the timeout).
  ~WebhookNotifier();
  WebhookNotifier(const WebhookNotifier&) = delete;
  WebhookNotifier& operator=(const WebhookNotifier&) = delete;

  /// Renders `event` for each webhook now and sends it in the background; returns at once.
  void send(const core::DeployEvent& event);
  /// Waits for every send so far; returns the failed deliveries, one line each:
  /// "trading-ops (slack, https://hooks.slack.com/…): deploy finished: HTTP 500 (…)".
  std::vector<std::string> finish();

  bool empty() const { return webhooks_.empty(); }

 private:
  void deliver(const Webhook& webhook, std::string what, std::string body);

  std::vector<Webhook> webhooks_;
  std::chrono::milliseconds timeout_;
  HttpClient& http_;
  std::mutex mutex_;
  std::vector<std::string> failures_;
  std::vector<std::jthread> sends_;  // last member: joined first, while the rest still lives
};

}  // namespace drover::cli
