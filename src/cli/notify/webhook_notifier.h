#pragma once
// Sends a deploy's or rollback's events (core/deploy_notification.h) to the webhooks of
// drover.toml's [notify]. Each webhook has a worker thread of its own taking its events in
// order (a chat never shows "finished" above "started"), so a slow or hanging webhook never
// holds up the rollout or the other webhooks. Each request is cut off after the configured
// timeout, and finish(), at the end of the command, waits at most that long in all: whatever
// a webhook has not taken by then is not sent. A webhook that fails or times out never fails
// the deploy: finish() returns one line per event not delivered, for the command to show,
// naming the webhook without its URL (webhook_url.h). The deadline is real time, as the
// HTTP timeouts are.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
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
  /// Stops the workers; a request in flight ends within the timeout.
  ~WebhookNotifier();
  WebhookNotifier(const WebhookNotifier&) = delete;
  WebhookNotifier& operator=(const WebhookNotifier&) = delete;

  /// Renders `event` for each webhook now and queues it; returns at once.
  void send(const core::DeployEvent& event);
  /// Waits, at most the timeout, for every event queued so far; returns the ones not delivered,
  /// one line each: "trading-ops (slack, https://hooks.slack.com/…): deploy finished: HTTP 500".
  std::vector<std::string> finish();

 private:
  struct Message {
    std::string what;  // "deploy started"
    std::string body;
  };
  struct Channel {
    Webhook webhook;
    std::deque<Message> queue;
    bool busy = false;  // a request is in flight
  };
  void work(Channel& channel);

  std::chrono::milliseconds timeout_;
  HttpClient& http_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::optional<std::chrono::steady_clock::time_point> deadline_;  // set by finish()
  std::vector<std::string> failures_;
  std::vector<std::unique_ptr<Channel>> channels_;
  std::vector<std::jthread> workers_;  // last member: joined first, while the rest still lives
};

}  // namespace drover::cli
