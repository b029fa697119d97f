#include "agent/agent_report.h"

namespace drover::agent {
namespace {

using nlohmann::json;

json nullable(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

json bot_swap_json(const BotSwapResult& bot, const HostSwapResult& host) {
  json out = {{"bot", bot.bot_id},
              {"outcome", to_string(bot.outcome)},
              {"reason", nullable(bot.reason)},
              {"image_id", nullable(bot.image_id)},
              {"repo_digest", nullable(bot.repo_digest)},
              {"created_from_template", bot.created_from_template},
              {"timings_ms",
               {{"pull", host.pull_time.count()},
                {"stop", bot.timings.stop.count()},
                {"start", bot.timings.start.count()},
                {"settle", bot.timings.settle.count()},
                {"downtime", bot.timings.downtime.count()}}}};
  out["login"] = "unknown";
  out["login_detail"] = nullptr;
  for (const auto& login : host.logins) {
    if (login.bot_id != bot.bot_id) continue;
    out["login"] = to_string(login.reading.state);
    out["login_detail"] = nullable(login.reading.detail);
  }
  return out;
}

json recovered_json(const RecoverResult& r) {
  return {{"bot", r.bot_id}, {"action", to_string(r.action)}, {"detail", nullable(r.detail)}};
}

}  // namespace

json swap_report(const std::string& host, const HostSwapResult& result) {
  json image = {{"ref", result.image_ref}, {"id", nullptr}, {"repo_digest", nullptr}};
  if (result.image) {
    image["id"] = result.image->id;
    image["repo_digest"] = nullable(repo_digest_for(*result.image, result.image_ref));
  }
  json bots = json::array();
  for (const auto& bot : result.bots) bots.push_back(bot_swap_json(bot, result));
  json recovered = json::array();
  for (const auto& r : result.recovered) recovered.push_back(recovered_json(r));
  return {{"command", "swap"},
          {"host", host},
          {"ok", result.ok()},
          {"image", image},
          {"jitter_ms", result.jitter_waited.count()},
          {"free_bytes_before",
           result.free_bytes_before ? json(*result.free_bytes_before) : json(nullptr)},
          {"recovered", recovered},
          {"bots", bots},
          {"prune",
           {{"space_reclaimed", result.prune.space_reclaimed},
            {"images_deleted", result.prune.deleted.size()},
            {"error", nullable(result.prune_error)}}},
          {"error", nullable(result.error)}};
}

json status_report(const std::string& host, const std::vector<BotStatus>& bots) {
  json out = json::array();
  bool ok = true;
  for (const auto& s : bots) {
    ok = ok && s.running && s.matches_expected.value_or(true) && s.error.empty();
    out.push_back(
        {{"bot", s.bot_id},
         {"present", s.present},
         {"running", s.running},
         {"state", nullable(s.state)},
         {"exit_code", s.exit_code},
         {"image", nullable(s.image)},
         {"health", nullable(s.health)},
         {"restart_count", s.restart_count},
         {"image_id", nullable(s.image_id)},
         {"repo_digests", s.repo_digests},
         {"matches_expected", s.matches_expected ? json(*s.matches_expected) : json(nullptr)},
         {"prev_left_over", s.prev_left_over},
         {"login", to_string(s.login.state)},
         {"login_detail", nullable(s.login.detail)},
         {"error", nullable(s.error)}});
  }
  return {{"command", "status"}, {"host", host}, {"ok", ok}, {"bots", out}, {"error", nullptr}};
}

json recover_report(const std::string& host, const std::vector<RecoverResult>& bots) {
  json out = json::array();
  bool ok = true;
  for (const auto& r : bots) {
    ok = ok && r.running();
    out.push_back(recovered_json(r));
  }
  return {{"command", "recover"}, {"host", host}, {"ok", ok}, {"bots", out}, {"error", nullptr}};
}

json error_report(const std::string& command, const std::string& host, const std::string& error) {
  return {{"command", command},
          {"host", host},
          {"ok", false},
          {"bots", json::array()},
          {"error", error}};
}

}  // namespace drover::agent
