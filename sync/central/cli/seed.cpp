#include "sync/central/cli/seed.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "core/uuid.h"
#include "model/record.h"
#include "model/survey.h"
#include "protocol/enrollment_token.h"
#include "sync/central/ingest/ingestor.h"

namespace feedback::central {
namespace {

constexpr char kRetailSurvey[] = R"json({
 "id": "retail_kiosk_seed", "version": 1, "channel": "kiosk", "locales": ["en"],
 "title": {"en": "How was your visit today?"}, "outcome": "nps",
 "questions": [
  {"id": "nps", "type": "nps", "required": true,
   "prompt": {"en": "How likely are you to recommend us to a friend?"}},
  {"id": "satisfaction", "type": "csat", "prompt": {"en": "How satisfied are you with your visit?"}},
  {"id": "greeting", "type": "rating", "driver": true, "prompt": {"en": "How warm was the greeting when you came in?"}},
  {"id": "speed", "type": "rating", "driver": true, "prompt": {"en": "How quick was our service?"}},
  {"id": "cleanliness", "type": "rating", "driver": true, "prompt": {"en": "How clean and tidy was the store?"}},
  {"id": "availability", "type": "rating", "driver": true, "prompt": {"en": "Could you find the products you came for?"}},
  {"id": "knowledge", "type": "rating", "driver": true, "prompt": {"en": "How well did our team know their products?"}},
  {"id": "comment", "type": "text", "max_length": 500, "prompt": {"en": "Anything else you would like to tell us?"}},
  {"id": "hero", "type": "hero", "max_length": 500, "prompt": {"en": "Did someone make your day?"},
   "labels": {"name": {"en": "Who was it?"}, "story": {"en": "What did they do?"}}},
  {"id": "contact", "type": "contact", "show_if": {"question": "nps", "max": 6},
   "fields": ["name", "phone", "email"], "prompt": {"en": "May a store manager get in touch?"},
   "labels": {"name": {"en": "Your name"}, "phone": {"en": "Phone number"}, "email": {"en": "Email address"}}}
 ]})json";

constexpr char kCallSurvey[] = R"json({
 "id": "call_log_seed", "version": 1, "channel": "call", "locales": ["en"],
 "title": {"en": "Call log"}, "outcome": "effort",
 "questions": [
  {"id": "greeting", "type": "rating", "driver": true, "required": true, "prompt": {"en": "How warm was the greeting?"}},
  {"id": "effort", "type": "ces", "required": true, "prompt": {"en": "How easy was it for the customer to get their issue handled?"}},
  {"id": "praise", "type": "hero", "max_length": 1000, "prompt": {"en": "Did the customer praise anyone?"},
   "labels": {"name": {"en": "Who?"}, "story": {"en": "What did they say?"}}}
 ]})json";

constexpr const char* kRegions[] = {"north", "south", "east", "west"};
constexpr const char* kFirstNames[] = {"Ana", "Ben",  "Carla", "Dev",  "Elena", "Farid",
                                       "Grace", "Hugo", "Ines",  "Jonas", "Keiko", "Liam",
                                       "Maya", "Nikos", "Olga", "Pedro", "Rosa", "Sam",
                                       "Tariq", "Uma",  "Vera",  "Wes",   "Yara", "Zoe"};
constexpr const char* kLastNames[] = {"Alvarez", "Brooks", "Chen",   "Dubois", "Eriksen",
                                      "Fischer", "Garcia", "Haddad", "Ito",    "Jansen",
                                      "Kowalski", "Lopez", "Murphy", "Novak",  "Okafor",
                                      "Patel",   "Quinn",  "Rossi",  "Silva",  "Tanaka"};
// Store names by site number (site-01 = Riverside); "Store NN" beyond the list.
constexpr const char* kStoreNames[] = {"Riverside",  "Old Town",   "Harbour View", "Northgate",
                                       "Market Hall", "Westfield",  "Canal Street", "Hillcrest",
                                       "Station Square", "Lakeside", "Eastbrook",   "Kingsway",
                                       "Parkside",   "Southbank",  "Mill Lane",    "Cathedral",
                                       "Airport",    "Seafront",   "University",   "Greenway"};
constexpr const char* kComplaints[] = {"waited 20 minutes at the till", "nobody could help me",
                                       "the shelves were empty",        "staff were rude",
                                       "I want a refund for this",      "too slow, again"};
constexpr const char* kStories[] = {"walked me to the right aisle and found my size",
                                    "stayed after closing to help me", "remembered my name",
                                    "fixed my problem in two minutes"};

std::string Two(int i) {
  char b[16];
  std::snprintf(b, sizeof(b), "%02d", i);
  return b;
}

struct Rep {
  std::string staff_id;
  std::string name;
  std::string team;
};

struct SiteSetup {
  std::string site_id;
  std::string kiosk_device;
  double offset = 0;  // planted site effect on NPS
  std::vector<Rep> floor;  // kiosk hero candidates
  std::vector<std::pair<std::string, std::vector<Rep>>> teams;  // call-center teams
  std::vector<std::string> agent_devices;                        // one per team
};

}  // namespace

Result<SeedSummary> SeedStore(CentralStore& store, const SeedOptions& o,
                              const std::function<void(int64_t)>& progress) {
  if (o.sites < 1 || o.sites > 99) return Status::InvalidArgument("--sites must be 1 to 99");
  if (o.days < 1 || o.days > 3660) return Status::InvalidArgument("--days must be 1 to 3660");
  if (o.records < 0) return Status::InvalidArgument("--records must not be negative");
  SystemClock& clock = SystemClock::Instance();
  const TimeMs now = clock.NowMs();
  const TimeMs end = o.end_ms > 0 ? o.end_ms : now;
  const int64_t last_day = DayNumber(end);

  // 1. Surveys.
  std::vector<std::shared_ptr<SurveyDefinition>> defs;
  for (const char* text : {kRetailSurvey, kCallSurvey}) {
    FEEDBACK_ASSIGN_OR_RETURN(SurveyDefinition def, ParseSurveyDefinition(text, "seed survey"));
    const std::string compact = nlohmann::json::parse(text).dump();
    SurveyVersion sv{def.id, def.version, std::string(ChannelName(def.channel)), compact, now};
    FEEDBACK_RETURN_IF_ERROR(store.PublishSurvey(sv, {}, true));
    defs.push_back(std::make_shared<SurveyDefinition>(std::move(def)));
  }
  const SurveyDefinition& retail = *defs[0];
  const SurveyDefinition& call = *defs[1];

  // 2. Sites, regions, roster, devices (enrolled through the real token path).
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<SiteSetup> sites;
  std::vector<StaffRow> roster;
  UuidGenerator ids(clock);
  auto enroll = [&](const std::string& site, const std::string& kind,
                    const std::string& team) -> Result<std::string> {
    unsigned char secret[32];
    unsigned char key[32];
    if (RAND_bytes(secret, sizeof(secret)) != 1 || RAND_bytes(key, sizeof(key)) != 1) {
      return Status::CryptoError("no random bytes for a seed device");
    }
    const std::string hash = HexEncode(ByteView(secret, sizeof(secret)));
    FEEDBACK_RETURN_IF_ERROR(
        store.InsertEnrollmentToken({hash, site, kind, team, now, now + 60'000}));
    const std::string id = kind + "-seed-" + ids.NextV7().ToString();
    FEEDBACK_ASSIGN_OR_RETURN(
        Device d, store.EnrollDevice(hash, kind, ByteView(key, sizeof(key)), "seed", id, now));
    return d.device_id;
  };
  // Distinct, human-looking names: first and last names walk their lists at
  // different strides.
  int name_i = 0;
  auto next_name = [&name_i] {
    const int i = name_i++;
    return std::string(kFirstNames[i % 24]) + " " + kLastNames[(i * 7 + i / 24) % 20];
  };
  for (int i = 1; i <= o.sites; ++i) {
    SiteSetup s;
    s.site_id = "site-" + Two(i);
    FEEDBACK_ASSIGN_OR_RETURN(bool created, store.EnsureSite(s.site_id, now));
    (void)created;
    SiteSettings st;
    st.name = i <= 20 ? kStoreNames[i - 1] : "Store " + Two(i);
    st.region = kRegions[(i - 1) % 4];
    FEEDBACK_RETURN_IF_ERROR(store.UpdateSite(s.site_id, st));
    s.offset = ((i % 5) - 2) * 0.35;
    for (int k = 0; k < 3; ++k) {
      Rep r{s.site_id + "-floor-" + std::to_string(k + 1), next_name(), ""};
      s.floor.push_back(r);
      roster.push_back({r.staff_id, r.name, "", s.site_id});
    }
    FEEDBACK_ASSIGN_OR_RETURN(s.kiosk_device, enroll(s.site_id, "kiosk", ""));
    if (i % 2 == 0) {  // every second site also runs a call center with two teams
      for (const char* t : {"a", "b"}) {
        const std::string team = "team-" + Two(i) + t;
        std::vector<Rep> reps;
        for (int k = 0; k < 4; ++k) {
          Rep r{team + "-rep-" + std::to_string(k + 1), next_name(), team};
          reps.push_back(r);
          roster.push_back({r.staff_id, r.name, team, s.site_id});
        }
        s.teams.emplace_back(team, reps);
        FEEDBACK_ASSIGN_OR_RETURN(std::string dev, enroll(s.site_id, "agent", team));
        s.agent_devices.push_back(dev);
      }
    }
    sites.push_back(std::move(s));
  }
  FEEDBACK_RETURN_IF_ERROR(store.ImportStaff(roster));

  // 3. Records, committed in batches per device through CommitBatch.
  std::map<std::string, int64_t> next_seq;
  std::map<std::string, PreparedBatch> pending;
  SeedSummary summary;
  auto rating = [&](double mean) {
    return std::clamp(static_cast<int>(std::lround(mean + normal(rng) * 0.9)), 1, 5);
  };
  // A device's batch reaches the central store a minute after its last record.
  auto flush = [&](PreparedBatch& b) -> Status {
    if (b.records.empty()) return Status::Ok();
    b.seq = ++next_seq[b.device_id];
    TimeMs last_submitted = 0;
    for (const PreparedRecord& p : b.records) last_submitted = std::max(last_submitted, p.submitted_at);
    b.received_at = std::min(now, last_submitted + 60'000);
    b.digest = ToBytes("seed-" + b.device_id + "-" + std::to_string(b.seq));
    FEEDBACK_ASSIGN_OR_RETURN(CommitOutcome out, store.CommitBatch(b));
    if (out.kind != CommitOutcome::Kind::kStored) {
      return Status::Internal("seed batch for " + b.device_id + " was not stored");
    }
    b.records.clear();
    return Status::Ok();
  };
  // Records in day order, spread evenly over the days; each day's batches are
  // received that day (so older follow-ups are overdue, as in a real store).
  const int64_t first_day = last_day - o.days + 1;
  int64_t current_day = first_day;
  for (int64_t n = 0; n < o.records; ++n) {
    const int64_t day = first_day + n * o.days / std::max<int64_t>(o.records, 1);
    if (day != current_day) {
      for (auto& [dev, b] : pending) FEEDBACK_RETURN_IF_ERROR(flush(b));
      current_day = day;
      if (progress) progress(n);
    }
    SiteSetup& site = sites[static_cast<size_t>(rng() % sites.size())];
    const bool is_call = !site.teams.empty() && unit(rng) < 0.35;
    // The last day only up to now.
    const TimeMs day_ms = day == last_day ? std::max<TimeMs>(1, end - day * 86'400'000) : 86'400'000;
    const TimeMs submitted = day * 86'400'000 + static_cast<TimeMs>(rng() % static_cast<uint64_t>(day_ms));
    FeedbackRecord r;
    r.id = ids.NextV7().ToString();
    r.started_at = submitted - 20'000;
    r.submitted_at = submitted;
    r.site_id = site.site_id;
    r.locale = "en";
    r.status = RecordStatus::kComplete;
    const SurveyDefinition* def = &retail;
    std::string device;
    std::string team;
    if (!is_call) {
      device = site.kiosk_device;
      r.survey_id = retail.id;
      r.survey_version = retail.version;
      r.channel = Channel::kKiosk;
      const int g = rating(3.9), sp = rating(3.4), cl = rating(4.2), av = rating(3.6),
                kn = rating(3.8);
      const double latent = -1.5 + 0.9 * g + 0.5 * sp + 0.1 * cl + 0.7 * av + 0.3 * kn +
                            normal(rng) * 1.0 + site.offset;
      const int nps = std::clamp(static_cast<int>(std::lround(latent)), 0, 10);
      r.answers.push_back({"nps", nps, {}, ""});
      if (unit(rng) < 0.03) {
        r.status = RecordStatus::kAbandoned;  // walked away after the first question
      } else {
        const int csat = std::clamp(
            static_cast<int>(std::lround(1.0 + 0.4 * nps + normal(rng) * 0.6)), 1, 5);
        r.answers.push_back({"satisfaction", csat, {}, ""});
        r.answers.push_back({"greeting", g, {}, ""});
        r.answers.push_back({"speed", sp, {}, ""});
        r.answers.push_back({"cleanliness", cl, {}, ""});
        if (unit(rng) > 0.05) r.answers.push_back({"availability", av, {}, ""});
        r.answers.push_back({"knowledge", kn, {}, ""});
        if (nps <= 6 && unit(rng) < 0.5) {
          r.answers.push_back({"comment", std::nullopt, {}, kComplaints[rng() % 6]});
        }
        if (nps <= 6 && unit(rng) < 0.3) {
          const std::string first = kFirstNames[rng() % 24];
          const std::string who = first + " " + kLastNames[rng() % 20];
          r.contact = Contact{who, "555-01" + Two(static_cast<int>(rng() % 100)),
                              "customer" + std::to_string(n) + "@example.com"};
          ++summary.contact_detractors;
        }
        if (nps >= 9 && unit(rng) < 0.05) {
          const Rep& rep = site.floor[rng() % site.floor.size()];
          r.hero = Hero{rep.staff_id, rep.name, rep.name + " " + kStories[rng() % 4]};
          ++summary.hero_stories;
        }
      }
    } else {
      const size_t t = rng() % site.teams.size();
      device = site.agent_devices[t];
      team = site.teams[t].first;
      const Rep& rep = site.teams[t].second[rng() % site.teams[t].second.size()];
      def = &call;
      r.survey_id = call.id;
      r.survey_version = call.version;
      r.channel = Channel::kCall;
      r.staff_id = rep.staff_id;
      const int g = rating(3.7 + 0.15 * static_cast<double>(t));
      const int effort =
          std::clamp(static_cast<int>(std::lround(1.0 + 1.1 * g + normal(rng) * 0.8)), 1, 7);
      r.answers.push_back({"greeting", g, {}, ""});
      r.answers.push_back({"effort", effort, {}, ""});
      if (effort >= 6 && unit(rng) < 0.04) {
        r.hero = Hero{rep.staff_id, rep.name, "the customer said " + rep.name + " " +
                                                  kStories[rng() % 4]};
        ++summary.hero_stories;
      }
    }
    r.device_id = device;
    if (n < 2000) {
      if (Status v = ValidateRecord(*def, r); !v.ok()) {
        return Status::Internal("seed generated an invalid record: " + v.message());
      }
    }
    PreparedRecord p;
    p.record_id = r.id;
    p.survey_id = r.survey_id;
    p.survey_version = r.survey_version;
    p.channel = std::string(ChannelName(r.channel));
    p.status = std::string(RecordStatusName(r.status));
    p.locale = r.locale;
    p.staff_id = r.staff_id;
    p.started_at = r.started_at;
    p.submitted_at = r.submitted_at;
    p.day = day;
    FeedbackRecord stored = r;
    stored.received_at = std::min(now, submitted + 60'000);
    p.public_json = RecordToJson(PublicPart(stored)).dump();
    p.sensitive_json = SensitiveJson(r);
    AddContributions(*def, r, p);
    PreparedBatch& b = pending[device];
    if (b.device_id.empty()) {
      b.device_id = device;
      b.site_id = site.site_id;
      b.team = team;
    }
    b.records.push_back(std::move(p));
    ++summary.records;
    if (static_cast<int>(b.records.size()) >= o.batch_records) {
      FEEDBACK_RETURN_IF_ERROR(flush(b));
      if (progress) progress(n + 1);
    }
  }
  for (auto& [dev, b] : pending) FEEDBACK_RETURN_IF_ERROR(flush(b));
  if (progress) progress(o.records);
  return summary;
}

}  // namespace feedback::central
