// Fuzz target for the downstream path of the sync daemon: the body of
// GET /api/v1/device/state as it arrives from the central store, taken by the
// real SyncEngine::PullOnce (through an in-memory Transport) and written into
// a real capture DB (SQLite, temp folder): survey definitions (validated
// before they are stored), roster, hero stories, branding. Afterwards what the
// apps will read must be sound: every stored survey loads with
// ParseSurveyDefinition exactly as the kiosk and agent load it, the roster has
// what the state said, the branding setting is a JSON object. A refused state
// must leave an error, never a crash or a local-store failure.
//
// The capture DB lives for the whole run (one SQLite file; opening a fresh
// one per input would cost more than the input); the roster and stories are
// replaced by every accepted state, so what is checked is this input's doing.
#include <stdlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/clock.h"
#include "crypto/ed25519_private_key.h"
#include "daemon/stop_signal.h"
#include "daemon/sync_engine.h"
#include "daemon/transport.h"
#include "fuzz_common.h"
#include "model/survey.h"
#include "protocol/messages.h"
#include "store/capture_store.h"

using feedback::fuzz::Check;
namespace fb = feedback;

namespace {

// Answers every request with the current fuzz input as a 200 body.
class FuzzTransport : public fb::sync::Transport {
 public:
  fb::Result<fb::sync::HttpResponse> Send(const fb::sync::HttpRequest& request) override {
    Check(request.method == "GET");
    fb::sync::HttpResponse r;
    r.status = 200;
    r.body = body;
    return r;
  }
  std::string body;
};

struct Daemon {
  std::string dir;
  fb::DeviceConfig config;
  std::optional<fb::Ed25519PrivateKey> key;
  std::optional<fb::CaptureStore> store;
  FuzzTransport transport;
  fb::sync::StopSignal stop;
  std::unique_ptr<fb::sync::SyncEngine> engine;
};

Daemon& TheDaemon() {
  static Daemon* d = [] {
    auto* daemon = new Daemon;
    char tmpl[] = "/tmp/fuzz_device_state.XXXXXX";
    Check(mkdtemp(tmpl) != nullptr);
    daemon->dir = tmpl;
    daemon->config.device_id = "kiosk-1";
    daemon->config.site_id = "store-1";
    daemon->config.central_url = "http://127.0.0.1:1";
    daemon->config.capture_db = daemon->dir + "/capture.db";
    fb::Result<fb::Ed25519PrivateKey> key = fb::Ed25519PrivateKey::FromSeed(fb::Bytes(32, 7));
    Check(key.ok());
    daemon->key.emplace(std::move(key).value());
    fb::Result<fb::CaptureStore> store = fb::CaptureStore::Open(daemon->config.capture_db, nullptr);
    Check(store.ok());
    daemon->store.emplace(std::move(store).value());
    fb::sync::SyncOptions options;
    options.seed = 1;
    options.prebuild = false;
    daemon->engine = std::make_unique<fb::sync::SyncEngine>(
        daemon->config, *daemon->store, *daemon->key, daemon->transport,
        fb::SystemClock::Instance(), daemon->stop, options);
    Check(daemon->engine->Init().ok());
    // The folder goes when the run ends (SQLite files included).
    std::atexit([] { std::filesystem::remove_all(TheDaemon().dir); });
    return daemon;
  }();
  return *d;
}

void CheckStoredSurvey(fb::CaptureStore& store, fb::Channel channel) {
  fb::Result<fb::StoredSurvey> latest = store.LatestSurvey(channel);
  if (!latest.ok()) return;  // none received yet for this channel
  fb::Result<fb::SurveyDefinition> def =
      fb::ParseSurveyDefinition(latest->definition_json, "stored");
  Check(def.ok());
  Check(def->id == latest->survey_id && def->version == latest->version &&
        def->channel == channel);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Daemon& d = TheDaemon();
  d.transport.body.assign(reinterpret_cast<const char*>(data), size);
  fb::Result<fb::sync::PullResult> pulled = d.engine->PullOnce();
  Check(pulled.ok());  // a local-store failure here would be a bug, not bad input
  fb::Result<fb::protocol::DeviceState> state = fb::protocol::ParseDeviceState(d.transport.body);
  if (!state.ok()) {
    Check(!pulled->ok && !pulled->error.empty());
    return 0;
  }
  Check(pulled->ok == (pulled->surveys_rejected == 0));
  CheckStoredSurvey(*d.store, fb::Channel::kKiosk);
  CheckStoredSurvey(*d.store, fb::Channel::kCall);
  // The roster in the DB is the state's, whatever it held before.
  fb::Result<std::vector<fb::StaffMember>> roster = d.store->Roster();
  Check(roster.ok() && roster->size() == state->roster.size());
  for (const fb::protocol::RosterEntry& e : state->roster) {
    Check(std::any_of(roster->begin(), roster->end(), [&](const fb::StaffMember& m) {
      return m.staff_id == e.staff_id && m.display_name == e.display_name && m.team == e.team;
    }));
  }
  fb::Result<std::vector<fb::HeroStory>> stories = d.store->HeroStories(1'000'000);
  Check(stories.ok() && stories->size() == state->hero_stories.size());
  fb::Result<std::string> branding = d.store->GetSetting(fb::sync::kSettingBranding);
  Check(branding.ok());
  const nlohmann::json b = nlohmann::json::parse(*branding, nullptr, false);
  Check(b.is_object());
  return 0;
}
