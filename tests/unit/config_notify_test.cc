// drover.toml's [notify] (cli/config/notify.h) and the rule that a webhook URL is a secret
// (cli/notify/webhook_url.h): errors point at the key without quoting the URL, and a webhook
// is named by scheme and host only.
#include <gtest/gtest.h>

#include <string>

#include "cli/notify/webhook_notifier.h"
#include "cli/notify/webhook_url.h"
#include "config_test_support.h"

namespace drover::cli {
namespace {

using testing::contains;
using testing::refusal;

std::string with_notify(const std::string& notify) {
  return testing::kFleet + testing::kOneHost + "\n" + notify;
}

TEST(ConfigNotify, ReadsEveryWebhookWithItsFormatAndTheTimeout) {
  auto config = parse_config(with_notify(R"([notify]
timeout = 3
[[notify.webhook]]
url = "https://hooks.slack.com/services/T0/B0/secret"
[[notify.webhook]]
url_env = "DROVER_HOOK"
format = "json"
name = "tooling"
)"),
                             "drover.toml");
  ASSERT_EQ(config.notify.webhooks.size(), 2u);
  EXPECT_EQ(config.notify.timeout, std::chrono::seconds(3));
  EXPECT_EQ(config.notify.webhooks[0],
            (WebhookSettings{"https://hooks.slack.com/services/T0/B0/secret", "",
                             WebhookFormat::slack, "webhook 1"}));
  EXPECT_EQ(config.notify.webhooks[1],
            (WebhookSettings{"", "DROVER_HOOK", WebhookFormat::json, "tooling"}));
  EXPECT_TRUE(parse_config(with_notify(""), "drover.toml").notify.webhooks.empty());
}

TEST(ConfigNotify, MistakesAreRefusedAtTheirKeyWithoutQuotingTheUrl) {
  const std::string secret = "hooks.slack.com/services/T0/B0/XyZsecret";
  auto message = refusal(with_notify("[[notify.webhook]]\nurl = \"" + secret + "\"\n"));
  EXPECT_TRUE(contains(message,
                       "drover.toml:10: notify.webhook[0].url: is not an http:// or "
                       "https:// URL (the value is not shown"));
  EXPECT_EQ(message.find("XyZsecret"), std::string::npos) << message;
  EXPECT_TRUE(contains(refusal(with_notify("[[notify.webhook]]\nformat = \"json\"\n")),
                       "notify.webhook[0].url: is missing"));
  EXPECT_TRUE(contains(refusal(with_notify("[[notify.webhook]]\nurl = \"https://h/x\"\n"
                                           "url_env = \"X\"\n")),
                       "both url and url_env are set"));
  EXPECT_TRUE(contains(refusal(with_notify("[[notify.webhook]]\nurl = \"https://h/x\"\n"
                                           "format = \"teams\"\n")),
                       "notify.webhook[0].format: 'teams' is not a webhook format"));
  EXPECT_TRUE(contains(refusal(with_notify("[notify]\ntimeout = 0\n")),
                       "notify.timeout: 0 s is out of range"));
  EXPECT_TRUE(contains(refusal(with_notify("[notify]\nhooks = 1\n")), "notify.hooks"));
  EXPECT_TRUE(contains(refusal(with_notify("[[notify.webhook]]\nurl_env = \"not a name\"\n")),
                       "is not an environment variable name"));
}

TEST(WebhookUrl, AWebhookIsNamedByItsSchemeAndHostOnly) {
  EXPECT_EQ(redacted_url("https://hooks.slack.com/services/T0/B0/secret"),
            "https://hooks.slack.com/…");
  EXPECT_EQ(redacted_url("http://user:pass@127.0.0.1:8080/x?token=1"), "http://127.0.0.1:8080/…");
  EXPECT_EQ(redacted_url("https://example.com"), "https://example.com");
  EXPECT_EQ(without_url("POST https://h/s/k: timed out (https://h/s/k)", "https://h/s/k"),
            "POST https://h/…: timed out (https://h/…)");
  EXPECT_TRUE(is_webhook_url("https://hooks.slack.com/services/T0"));
  EXPECT_TRUE(is_webhook_url("http://127.0.0.1:9/x"));
  for (const auto* bad : {"hooks.slack.com/x", "ftp://h/x", "https://", "https:///x",
                          "https://h/a b", "https://h/\n"}) {
    EXPECT_FALSE(is_webhook_url(bad)) << bad;
  }
}

TEST(WebhookUrl, AUrlFromTheEnvironmentIsCheckedWithoutBeingQuoted) {
  NotifySettings settings;
  settings.webhooks = {{"", "HOOK", WebhookFormat::json, "ops"}};
  const auto env = [](const std::string&) -> std::optional<std::string> {
    return "hooks.example.com/XyZsecret";
  };
  try {
    resolve_webhooks(settings, env);
    ADD_FAILURE() << "a value that is no URL was accepted";
  } catch (const core::InputError& e) {
    EXPECT_EQ(std::string(e.what()).find("XyZsecret"), std::string::npos) << e.what();
  }
  const auto good = [](const std::string&) -> std::optional<std::string> {
    return "https://hooks.example.com/XyZsecret";
  };
  const auto webhooks = resolve_webhooks(settings, good);
  ASSERT_EQ(webhooks.size(), 1u);
  EXPECT_EQ(webhooks[0].url, "https://hooks.example.com/XyZsecret");
  EXPECT_EQ(webhooks[0].label, "ops (json, https://hooks.example.com/…)");
}

}  // namespace
}  // namespace drover::cli
