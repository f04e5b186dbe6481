// SiteStore: the store's role for what is configured per site - sites, the
// survey versions published to them and their staff rosters. One of the
// role interfaces CentralStore aggregates (central_store.h); code that only
// needs sites, surveys or staff takes a SiteStore&.
//
// Threading and errors: as CentralStore (one object per thread; a Status that
// names what failed, kUnavailable / kBusy / kIoError / kDiskFull meaning the
// store is not working right now).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace feedback::central {

struct Site {
  std::string site_id;
  std::string name;
  std::string branding_json = "{}";  // what devices show (logo, colours), as JSON
  TimeMs created_at = 0;
  std::string region;          // dashboard grouping; empty when none
  std::string mail_relay_url;  // smtp://host:port for this site's alerts; empty: global
  std::string followup_owner;  // username; empty: the site's first site manager
  int followup_due_hours = 48;
};

// The fields of a site the dashboard may change; an unset optional stays as is.
struct SiteSettings {
  std::optional<std::string> name;
  std::optional<std::string> region;
  std::optional<std::string> mail_relay_url;
  std::optional<std::string> followup_owner;
  std::optional<int> followup_due_hours;
};

struct StaffRow {
  std::string staff_id;
  std::string display_name;
  std::string team;
  std::string site_id;
};

struct SurveyVersion {
  std::string survey_id;
  int version = 0;
  std::string channel;
  std::string definition_json;
  TimeMs published_at = 0;
};

class SiteStore {
 public:
  virtual ~SiteStore() = default;

  // EnsureSite creates a missing site (inheriting the surveys published with
  // --all) and returns true when it did.
  virtual Result<bool> EnsureSite(const std::string& site_id, TimeMs now) = 0;
  virtual Result<std::vector<Site>> ListSites() = 0;
  // NotFound for an unknown site.
  virtual Status UpdateSite(const std::string& site_id, const SiteSettings& settings) = 0;

  // PublishSurvey keeps every version (AlreadyExists when the same id+version
  // was published with a different definition) and makes it the current one
  // for its channel at each of site_ids; all_sites also makes it the default
  // for sites created later.
  virtual Status PublishSurvey(const SurveyVersion& survey,
                               const std::vector<std::string>& site_ids, bool all_sites) = 0;
  // NotFound when that version was never published.
  virtual Result<SurveyVersion> GetSurvey(const std::string& survey_id, int version) = 0;

  // Replaces the roster of every site that appears in rows, in one transaction.
  virtual Status ImportStaff(const std::vector<StaffRow>& rows) = 0;
  virtual Result<std::vector<StaffRow>> ListStaff() = 0;
  // The roster entry of staff_id (ids are unique across sites); nullopt when
  // it is on no roster.
  virtual Result<std::optional<StaffRow>> FindStaff(const std::string& staff_id) = 0;
};

}  // namespace feedback::central
