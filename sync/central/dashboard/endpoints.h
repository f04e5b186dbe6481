// The dashboard API's endpoints, one handler each, grouped by the dashboard
// page they serve (one .cpp per page). dashboard_api.cpp lists them in its
// route table with their method, path and access; docs/dashboard-api.md is the
// contract. Every handler runs with the caller already authenticated (and, for
// POST, the CSRF token and the JSON content type checked), except Login.
#pragma once

#include "sync/central/dashboard/dashboard_common.h"

namespace feedback::central::dashboard {

// login.cpp: the session.
http::Response Login(Call& call);   // POST /api/login (no session yet)
http::Response Logout(Call& call);  // POST /api/logout
http::Response Me(Call& call);      // GET  /api/me

// sites.cpp: the sites page and the filter bar.
http::Response ListSites(Call& call);   // GET  /api/sites
http::Response UpdateSite(Call& call);  // POST /api/sites/{site}

// overview.cpp: the overview page.
http::Response Overview(Call& call);  // GET /api/overview

// breakdown.cpp: the tables of the sites and team & reps pages.
http::Response Breakdown(Call& call);  // GET /api/breakdown

// drivers.cpp: the key drivers page.
http::Response Drivers(Call& call);  // GET /api/drivers

// stories.cpp: hero stories and their walls.
http::Response ListStories(Call& call);    // GET  /api/stories
http::Response StoryWall(Call& call);      // GET  /api/stories/wall
http::Response ModerateStory(Call& call);  // POST /api/stories/{id}/moderate

// followups.cpp: closing the loop.
http::Response ListFollowUps(Call& call);   // GET  /api/followups
http::Response GetFollowUp(Call& call);     // GET  /api/followups/{id}
http::Response FollowUpOwners(Call& call);  // GET  /api/followups/{id}/owners
http::Response AddFollowUpNote(Call& call);  // POST /api/followups/{id}/notes
http::Response CloseFollowUp(Call& call);   // POST /api/followups/{id}/close
http::Response AssignFollowUp(Call& call);  // POST /api/followups/{id}/assign

// devices.cpp: device health.
http::Response ListDevices(Call& call);  // GET /api/devices

// users.cpp: accounts (admins only).
http::Response ListUsers(Call& call);    // GET  /api/users
http::Response CreateUser(Call& call);   // POST /api/users
http::Response DisableUser(Call& call);  // POST /api/users/{name}/disable
http::Response EnableUser(Call& call);   // POST /api/users/{name}/enable

// alerts.cpp: the settings page (admins only).
http::Response GetAlertRules(Call& call);  // GET  /api/alert-rules
http::Response SetAlertRules(Call& call);  // POST /api/alert-rules
http::Response ListAlerts(Call& call);     // GET  /api/alerts

}  // namespace feedback::central::dashboard
