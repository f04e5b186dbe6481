// The settings page (admins only): GET /api/alert-rules, POST /api/alert-rules
// (change some fields), GET /api/alerts (the delivery queue).
#include <tuple>

#include "sync/central/dashboard/endpoints.h"

namespace feedback::central::dashboard {
namespace {

http::Response RulesJson(const AlertRules& r) {
  return Json({{"nps_max", r.nps_max},
               {"csat_max", r.csat_max},
               {"words", r.words},
               {"email_enabled", r.email_enabled},
               {"webhook_url", r.webhook_url},
               {"smtp_url", r.smtp_url},
               {"mail_from", r.mail_from},
               {"dashboard_url", r.dashboard_url}});
}

}  // namespace

http::Response GetAlertRules(Call& call) {
  Result<AlertRules> rules = call.store.GetAlertRules();
  if (!rules.ok()) return FromStatus(rules.status());
  return RulesJson(*rules);
}

http::Response SetAlertRules(Call& call) {
  AlertStore& store = call.store;
  Result<AlertRules> rules = store.GetAlertRules();
  if (!rules.ok()) return FromStatus(rules.status());
  json body;
  if (!ParseBody(call.request, &body)) return Error(400, "the body must be a JSON object");
  auto int_field = [&body](const char* k, int lo, int hi, int& out) {
    if (!body.contains(k)) return true;
    if (!body[k].is_number_integer()) return false;
    const int v = body[k].get<int>();
    if (v < lo || v > hi) return false;
    out = v;
    return true;
  };
  if (!int_field("nps_max", -1, 10, rules->nps_max)) {
    return Error(400, "nps_max must be a whole number from -1 (off) to 10");
  }
  if (!int_field("csat_max", 0, 5, rules->csat_max)) {
    return Error(400, "csat_max must be a whole number from 0 (off) to 5");
  }
  if (body.contains("words")) {
    if (!body["words"].is_array()) return Error(400, "words must be a list of strings");
    rules->words.clear();
    for (const auto& w : body["words"]) {
      if (!w.is_string() || w.get<std::string>().size() > 100) {
        return Error(400, "words must be strings of at most 100 characters");
      }
      if (!w.get<std::string>().empty()) rules->words.push_back(w.get<std::string>());
    }
  }
  if (body.contains("email_enabled")) {
    if (!body["email_enabled"].is_boolean()) return Error(400, "email_enabled must be true/false");
    rules->email_enabled = body["email_enabled"].get<bool>();
  }
  for (auto [key, field, prefixes] :
       {std::tuple{"webhook_url", &rules->webhook_url, "http"},
        std::tuple{"smtp_url", &rules->smtp_url, "smtp"},
        std::tuple{"dashboard_url", &rules->dashboard_url, "http"},
        std::tuple{"mail_from", &rules->mail_from, ""}}) {
    if (std::optional<std::string> v = BodyString(body, key)) {
      if (!v->empty() && std::string(prefixes).size() && v->rfind(prefixes, 0) != 0) {
        return Error(400, std::string(key) + " must start with " + prefixes);
      }
      *field = *v;
    }
  }
  if (Status s = store.SetAlertRules(*rules); !s.ok()) return FromStatus(s);
  return RulesJson(*rules);
}

http::Response ListAlerts(Call& call) {
  AlertStore& store = call.store;
  Result<std::vector<Alert>> alerts = store.ListAlerts(500);
  if (!alerts.ok()) return FromStatus(alerts.status());
  json list = json::array();
  for (const Alert& a : *alerts) {
    list.push_back({{"alert_id", a.alert_id},
                    {"event", a.event},
                    {"followup_id", a.followup_id},
                    {"device_id", a.device_id},
                    {"kind", a.kind},
                    {"target", a.target},
                    {"state", a.state},
                    {"attempts", a.attempts},
                    {"last_error", a.last_error},
                    {"created_at", FormatIso8601(a.created_at)},
                    {"sent_at", Iso(a.sent_at)}});
  }
  return Json({{"alerts", list}});
}

}  // namespace feedback::central::dashboard
