#include "core/journal_record.h"

#include <fmt/format.h>

#include <limits>
#include <type_traits>
#include <utility>

#include "core/input_error.h"
#include "core/json_reader.h"
#include "core/json_writer.h"

namespace drover::core {

namespace {

using nlohmann::json;

constexpr auto kNever = std::numeric_limits<std::size_t>::max();

std::int64_t ms(Duration d) {
  return d.count();
}
Duration duration_at(const JsonReader& object, const char* key) {
  return Duration(object.at(key).integer());
}

// --- plan ---

json settings_to_json(const SpeedSettings& s) {
  json out = {{"concurrency", s.concurrency.is_all() ? json("all") : json(s.concurrency.count())},
              {"stop_timeout_ms", ms(s.stop_timeout)},
              {"halt", s.halt.is_never() ? json("never") : json(s.halt.fraction())},
              {"jitter_ms", ms(s.jitter)},
              {"settle_ms", ms(s.settle)},
              {"login_poll", s.login_poll},
              {"login_wait_ms", ms(s.login_wait)}};
  // Absent when there is no cap, so journals without it (older drovers) read back the same.
  if (s.login_rate) {
    out["login_rate"] = *s.login_rate;
  }
  return out;
}

SpeedSettings settings_from(const JsonReader& j) {
  SpeedSettings s;
  const auto concurrency = j.at("concurrency");
  if (concurrency.raw().is_string()) {
    if (concurrency.string() != "all") {
      concurrency.fail("expected a host count or \"all\"");
    }
    s.concurrency = Concurrency::all_hosts();
  } else {
    const auto count = concurrency.integer();
    if (count < 1) {
      concurrency.fail("expected at least 1");
    }
    s.concurrency = Concurrency::hosts(static_cast<std::size_t>(count));
  }
  s.stop_timeout = duration_at(j, "stop_timeout_ms");
  const auto halt = j.at("halt");
  if (halt.raw().is_string()) {
    if (halt.string() != "never") {
      halt.fail("expected a fraction or \"never\"");
    }
    s.halt = HaltThreshold::never();
  } else {
    const double fraction = halt.number();
    if (!(fraction >= 0.0 && fraction <= 1.0)) {
      halt.fail("expected a fraction between 0 and 1");
    }
    s.halt = HaltThreshold::over_fraction(fraction);
  }
  s.jitter = duration_at(j, "jitter_ms");
  s.settle = duration_at(j, "settle_ms");
  s.login_poll = j.at("login_poll").boolean();
  s.login_wait = duration_at(j, "login_wait_ms");
  if (const auto rate = j.maybe("login_rate")) {
    const auto bots = rate->integer();
    if (bots < 1) {
      rate->fail("expected at least 1 bot per second");
    }
    s.login_rate = static_cast<std::size_t>(bots);
  }
  return s;
}

template <typename Parse>
auto parse_name(const JsonReader& field, Parse parse) {
  try {
    return parse(field.string());
  } catch (const InputError& e) {
    field.fail(e.problem());
  }
}

AgentPreflight preflight_from(const JsonReader& j) {
  AgentPreflight p;
  p.expected_sha256 = j.at("expected_sha256").string();
  p.hosts = static_cast<std::size_t>(j.at("hosts").integer());
  p.drifted = j.at("drifted").strings();
  p.missing = j.at("missing").strings();
  p.unreachable = j.at("unreachable").strings();
  p.drift_allowed = j.at("drift_allowed").boolean();
  return p;
}

json preflight_to_json(const AgentPreflight& p) {
  return {{"expected_sha256", p.expected_sha256},
          {"hosts", p.hosts},
          {"drifted", p.drifted},
          {"missing", p.missing},
          {"unreachable", p.unreachable},
          {"drift_allowed", p.drift_allowed}};
}

MeasuredEstimate measured_from(const JsonReader& j) {
  MeasuredEstimate e;
  e.p50 = Duration(j.at("p50_ms").integer());
  e.p90 = Duration(j.at("p90_ms").integer());
  e.deploys = static_cast<std::size_t>(j.at("deploys").integer());
  e.host_records = static_cast<std::size_t>(j.at("host_records").integer());
  return e;
}

json measured_to_json(const MeasuredEstimate& e) {
  return {{"p50_ms", e.p50.count()},
          {"p90_ms", e.p90.count()},
          {"deploys", e.deploys},
          {"host_records", e.host_records}};
}

// --- rollback ---

RollbackSpec rollback_from(const JsonReader& j) {
  RollbackSpec spec;
  if (auto to = j.maybe("to")) spec.to = to->string();
  for (const auto& item : j.at("targets").array()) {
    RollbackTarget target;
    target.bot = item.at("bot").bot_id();
    target.image = item.at("image").string();
    if (auto undoes = item.maybe("undoes")) target.undoes = undoes->string();
    spec.targets.push_back(std::move(target));
  }
  for (const auto& item : j.at("skipped").array()) {
    spec.skipped.push_back({item.at("bot").bot_id(), item.at("reason").string()});
  }
  for (const auto& item : j.at("left_alone").array()) {
    spec.left_alone.push_back({item.at("reason").string(), item.at("bots").bot_ids()});
  }
  return spec;
}

json nullable_text(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

DeployPlan plan_from(const JsonReader& j) {
  DeployPlan plan;
  plan.deploy_id = j.at("deploy_id").string();
  plan.fleet = j.at("fleet").string();
  plan.created_at = j.at("created_at").string();
  const auto target = j.at("target");
  plan.selection.target.kind = parse_name(target.at("kind"), parse_target_kind);
  if (auto bot = target.maybe("bot")) {
    plan.selection.target.bot = bot->bot_id();
  }
  for (const auto& host : j.at("hosts").array()) {
    HostSelection selection;
    selection.name = host.at("name").string();
    if (auto address = host.maybe("address")) {
      selection.address = address->string();
    }
    selection.bots = host.at("bots").bot_ids();
    plan.selection.hosts.push_back(std::move(selection));
  }
  plan.speed = parse_name(j.at("speed"), parse_speed);
  plan.settings = settings_from(j.at("settings"));
  plan.image = j.at("image").string();
  plan.pinned_image = j.at("pinned_image").string();
  // Absent from plans journaled before the drift preflight existed: those still resume.
  if (auto preflight = j.maybe("agent_preflight"))
    plan.agent_preflight = preflight_from(*preflight);
  if (auto rollback = j.maybe("rollback")) plan.rollback = rollback_from(*rollback);
  // Absent from plans journaled before drover simulated the estimate.
  if (auto measured = j.maybe("measured_estimate"))
    plan.measured_estimate = measured_from(*measured);
  return plan;
}

// --- host ---

HostRecord host_record_from(const JsonReader& j) {
  HostRecord record;
  record.host = j.at("host").string();
  const auto status = j.at("status");
  const auto parsed = parse_host_status(status.string());
  if (!parsed) status.fail("expected \"succeeded\" or \"failed\"");
  record.outcome.status = *parsed;
  record.outcome.kind = parse_failure_kind(j.at("kind").string());
  record.outcome.reason = j.at("reason").string();
  record.took = duration_at(j, "took_ms");
  // Absent from journals written before drover recorded when each host started.
  if (auto started = j.maybe("started_ms")) record.started = Duration(started->integer());
  // Absent from journals written before drover kept each bot's swap.
  if (auto bots = j.maybe("bots")) {
    for (const auto& item : bots->array()) {
      BotRecord bot;
      bot.bot = item.at("bot").bot_id();
      const auto outcome = item.at("outcome");
      const auto parsed = parse_bot_swap_outcome(outcome.string());
      if (!parsed) outcome.fail("expected swapped, unchanged, rolled_back or failed");
      bot.outcome = *parsed;
      if (auto from = item.maybe("from")) {
        PreviousImage previous;
        previous.ref = from->at("ref").string();
        if (auto id = from->maybe("image_id")) previous.image_id = id->string();
        if (auto digest = from->maybe("repo_digest")) previous.repo_digest = digest->string();
        bot.from = std::move(previous);
      }
      if (auto digest = item.maybe("repo_digest")) bot.repo_digest = digest->string();
      // Absent from journals written before the agent measured its steps.
      if (auto timings = item.maybe("timings_ms")) bot.timings = read_swap_timings(*timings);
      record.bots.push_back(std::move(bot));
    }
  }
  return record;
}

// --- verification ---

VerificationReport verification_from(const JsonReader& j) {
  VerificationReport report;
  report.total = static_cast<std::size_t>(j.at("total").integer());
  report.on_version = j.at("on_version").bot_ids();
  report.stale = j.at("stale").bot_ids();
  report.down = j.at("down").bot_ids();
  report.unanswered = j.at("unanswered").bot_ids();
  report.logged_in = j.at("logged_in").bot_ids();
  report.not_logged_in = j.at("not_logged_in").bot_ids();
  // Journals written before down reasons existed have none: their down bots read as such.
  if (auto reasons = j.maybe("down_reasons")) {
    for (const auto& item : reasons->array()) {
      report.down_reasons[item.at("bot").bot_id()] = item.at("reason").string();
    }
  }
  return report;
}

StragglerRetryResult retry_from(const JsonReader& j) {
  StragglerRetryResult retry;
  retry.stragglers = static_cast<std::size_t>(j.at("stragglers").integer());
  retry.logged_in_during_wait = j.at("logged_in_during_wait").bot_ids();
  retry.still_not_logged_in = j.at("still_not_logged_in").bot_ids();
  return retry;
}

// --- result ---

RolloutResult result_from(const JsonReader& j) {
  RolloutResult result;
  const auto status = j.at("status");
  const auto parsed = parse_rollout_status(status.string());
  if (!parsed) status.fail("expected " + rollout_status_names());
  result.status = *parsed;
  result.total = static_cast<std::size_t>(j.at("total").integer());
  result.succeeded = static_cast<std::size_t>(j.at("succeeded").integer());
  result.failed = static_cast<std::size_t>(j.at("failed").integer());
  result.already_done = static_cast<std::size_t>(j.at("already_done").integer());
  auto tolerated = j.maybe("tolerated_failures");
  result.tolerated_failures = tolerated ? static_cast<std::size_t>(tolerated->integer()) : kNever;
  for (const auto& failure : j.at("failures").array()) {
    result.failures.push_back(host_record_from(failure));
  }
  result.not_started = j.at("not_started").strings();
  // Journals written before drover could end at once have no such list.
  if (auto not_waited_for = j.maybe("not_waited_for")) {
    result.not_waited_for = not_waited_for->strings();
  }
  result.elapsed = duration_at(j, "elapsed_ms");
  // Absent from journals written before drover recorded when the rollout stopped starting.
  if (auto stopped = j.maybe("stopped_ms")) result.stopped_after = Duration(stopped->integer());
  return result;
}

json tagged(const char* type, json body) {
  body["type"] = type;
  body["v"] = kJournalVersion;
  return body;
}

JournalRecord record_from(const JsonReader& root) {
  const auto version = root.at("v").integer();
  if (version != kJournalVersion) {
    root.at("v").fail(
        fmt::format("journal version {} is not {} (written by another drover "
                    "version)",
                    version, kJournalVersion));
  }
  const auto type = root.at("type").string();
  const auto sequence = root.maybe("seq");
  if (type == "plan") {
    return JournalPlan{plan_from(root), sequence ? sequence->integer() : 0};
  }
  if (type == "host") {
    return JournalHost{host_record_from(root), sequence ? sequence->integer() : 0};
  }
  if (type == "verification") {
    JournalVerification v{verification_from(root), std::nullopt};
    if (auto retry = root.maybe("retry")) {
      v.retry = retry_from(*retry);
    }
    return v;
  }
  if (type == "result") {
    JournalResult r;
    r.result = result_from(root);
    r.exit_code = static_cast<ExitCode>(root.at("exit_code").integer());
    r.finished_at = root.at("finished_at").string();
    return r;
  }
  root.at("type").fail(fmt::format("unknown record type \"{}\"", type));
}

}  // namespace

json plan_to_json(const DeployPlan& plan) {
  json hosts = json::array();
  for (const auto& host : plan.selection.hosts) {
    hosts.push_back({{"name", host.name},
                     {"address", host.address ? json(*host.address) : json(nullptr)},
                     {"bots", host.bots}});
  }
  const auto& target = plan.selection.target;
  return {
      {"deploy_id", plan.deploy_id},
      {"fleet", plan.fleet},
      {"created_at", plan.created_at},
      {"target",
       {{"kind", to_string(target.kind)}, {"bot", target.bot ? json(*target.bot) : json(nullptr)}}},
      {"hosts", std::move(hosts)},
      {"speed", to_string(plan.speed)},
      {"settings", settings_to_json(plan.settings)},
      {"image", plan.image},
      {"pinned_image", plan.pinned_image},
      {"agent_preflight",
       plan.agent_preflight ? preflight_to_json(*plan.agent_preflight) : json(nullptr)},
      {"rollback", plan.rollback ? rollback_to_json(*plan.rollback) : json(nullptr)},
      {"measured_estimate",
       plan.measured_estimate ? measured_to_json(*plan.measured_estimate) : json(nullptr)}};
}

json rollback_to_json(const RollbackSpec& rollback) {
  json targets = json::array();
  for (const auto& target : rollback.targets) {
    targets.push_back(
        {{"bot", target.bot}, {"image", target.image}, {"undoes", nullable_text(target.undoes)}});
  }
  json skipped = json::array();
  for (const auto& bot : rollback.skipped) {
    skipped.push_back({{"bot", bot.bot}, {"reason", bot.reason}});
  }
  json left_alone = json::array();
  for (const auto& group : rollback.left_alone) {
    left_alone.push_back({{"reason", group.reason}, {"bots", group.bots}});
  }
  return {{"to", nullable_text(rollback.to)},
          {"targets", std::move(targets)},
          {"skipped", std::move(skipped)},
          {"left_alone", std::move(left_alone)}};
}

// The journal's host lines (one per host, three bots each) are built member by member, in key
// order at the end of the object: nlohmann's initializer-list form first builds every member
// as a two-element array and then checks and converts it, which cost a 10,000-host deploy a
// tenth of its CPU (README, issue 11). The members and their values are the same.
namespace {

class ObjectBuilder {
 public:
  ObjectBuilder() : object_(json::object()), members_(object_.get_ref<json::object_t&>()) {}
  template <typename Value>
  ObjectBuilder& add(const char* key, Value&& value) {
    members_.emplace_hint(members_.end(), key, std::forward<Value>(value));
    return *this;
  }
  json take() { return std::move(object_); }

 private:
  json object_;
  json::object_t& members_;
};

}  // namespace

json bot_record_to_json(const BotRecord& bot) {
  json from = nullptr;
  if (bot.from) {
    from = ObjectBuilder()
               .add("image_id", nullable_text(bot.from->image_id))
               .add("ref", bot.from->ref)
               .add("repo_digest", nullable_text(bot.from->repo_digest))
               .take();
  }
  return ObjectBuilder()
      .add("bot", bot.bot)
      .add("from", std::move(from))
      .add("outcome", to_string(bot.outcome))
      .add("repo_digest", nullable_text(bot.repo_digest))
      .add("timings_ms", to_json(bot.timings))
      .take();
}

json host_record_to_json(const HostRecord& record) {
  json bots = json::array();
  bots.get_ref<json::array_t&>().reserve(record.bots.size());
  for (const auto& bot : record.bots) bots.push_back(bot_record_to_json(bot));
  return ObjectBuilder()
      .add("bots", std::move(bots))
      .add("host", record.host)
      .add("kind", to_string(record.outcome.kind))
      .add("reason", record.outcome.reason)
      .add("started_ms", record.started ? json(ms(*record.started)) : json(nullptr))
      .add("status", to_string(record.outcome.status))
      .add("took_ms", ms(record.took))
      .take();
}

json down_reasons_to_json(const std::map<BotId, std::string>& reasons) {
  json out = json::array();
  for (const auto& [bot, reason] : reasons) out.push_back({{"bot", bot}, {"reason", reason}});
  return out;
}

json verification_to_json(const VerificationReport& report) {
  return {{"total", report.total},
          {"on_version", report.on_version},
          {"stale", report.stale},
          {"down", report.down},
          {"unanswered", report.unanswered},
          {"logged_in", report.logged_in},
          {"not_logged_in", report.not_logged_in},
          {"down_reasons", down_reasons_to_json(report.down_reasons)}};
}

json retry_to_json(const StragglerRetryResult& retry) {
  return {{"stragglers", retry.stragglers},
          {"logged_in_during_wait", retry.logged_in_during_wait},
          {"still_not_logged_in", retry.still_not_logged_in}};
}

json result_to_json(const RolloutResult& result) {
  json failures = json::array();
  for (const auto& failure : result.failures) {
    failures.push_back(host_record_to_json(failure));
  }
  return {{"status", to_string(result.status)},
          {"total", result.total},
          {"succeeded", result.succeeded},
          {"failed", result.failed},
          {"already_done", result.already_done},
          {"tolerated_failures",
           result.tolerated_failures == kNever ? json(nullptr) : json(result.tolerated_failures)},
          {"failures", std::move(failures)},
          {"not_started", result.not_started},
          {"not_waited_for", result.not_waited_for},
          {"elapsed_ms", ms(result.elapsed)},
          {"stopped_ms", result.stopped_after ? json(ms(*result.stopped_after)) : json(nullptr)}};
}

json to_json(const JournalRecord& record) {
  return std::visit(
      [](const auto& r) -> json {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, JournalPlan>) {
          auto body = plan_to_json(r.plan);
          body["seq"] = r.sequence;
          return tagged("plan", std::move(body));
        } else if constexpr (std::is_same_v<T, JournalHost>) {
          auto body = host_record_to_json(r.record);
          body["seq"] = r.sequence;
          return tagged("host", std::move(body));
        } else if constexpr (std::is_same_v<T, JournalVerification>) {
          auto body = verification_to_json(r.report);
          body["retry"] = r.retry ? retry_to_json(*r.retry) : json(nullptr);
          return tagged("verification", std::move(body));
        } else {
          auto body = result_to_json(r.result);
          body["exit_code"] = to_int(r.exit_code);
          body["finished_at"] = r.finished_at;
          return tagged("result", std::move(body));
        }
      },
      record);
}

JournalRecord journal_record_from_json(const json& document) {
  try {
    return record_from(JsonReader(document, "record"));
  } catch (const JsonShapeError& e) {
    throw JournalError(fmt::format("journal: {}", e.what()));
  }
}

namespace {

// A host line written straight to text (json_writer.h), the same bytes as dumping
// to_json(record): a deploy writes one per host, the other lines once.
std::string host_line(const JournalHost& line) {
  const auto& record = line.record;
  // A line is about 200 bytes and 500 more per bot.
  JsonWriter out(256 + 640 * record.bots.size());
  out.begin_object().key("bots").begin_array();
  for (const auto& bot : record.bots) {
    out.begin_object().key("bot").integer(bot.bot).key("from");
    if (bot.from) {
      out.begin_object()
          .key("image_id")
          .nullable_string(bot.from->image_id)
          .key("ref")
          .string(bot.from->ref)
          .key("repo_digest")
          .nullable_string(bot.from->repo_digest)
          .end_object();
    } else {
      out.null();
    }
    out.key("outcome").string(to_string(bot.outcome));
    out.key("repo_digest").nullable_string(bot.repo_digest).key("timings_ms");
    write_json(out, bot.timings);
    out.end_object();
  }
  out.end_array();
  out.key("host").string(record.host);
  out.key("kind").string(to_string(record.outcome.kind));
  out.key("reason").string(record.outcome.reason);
  out.key("seq").integer(line.sequence);
  out.key("started_ms");
  if (record.started) {
    out.integer(ms(*record.started));
  } else {
    out.null();
  }
  out.key("status").string(to_string(record.outcome.status));
  out.key("took_ms").integer(ms(record.took));
  out.key("type").string("host").key("v").integer(kJournalVersion).end_object();
  return out.take();
}

}  // namespace

std::string to_journal_line(const JournalRecord& record) {
  if (const auto* host = std::get_if<JournalHost>(&record)) {
    auto line = host_line(*host);
    line += '\n';
    return line;
  }
  // error_handler::replace: a reason quoting odd agent output must not make the write throw.
  auto line = to_json(record).dump(-1, ' ', false, json::error_handler_t::replace);
  line += '\n';
  return line;
}

JournalRecord parse_journal_line(std::string_view line) {
  json document;
  try {
    document = json::parse(line);
  } catch (const json::exception& e) {
    // Not only parse_error: a number too large for a double ("8e3083") is out_of_range, which
    // the journal fuzzer found escaping as a crash.
    throw JournalError(fmt::format("journal: a line is not JSON ({})", e.what()));
  }
  return journal_record_from_json(document);
}

}  // namespace drover::core
