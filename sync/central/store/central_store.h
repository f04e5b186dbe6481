// CentralStore: everything feedback-central keeps, as the aggregate of the
// store's role interfaces - sites, surveys and staff (site_store.h), users,
// sessions and login failures (user_store.h), enrollment and devices
// (device_store.h), batches (batch_store.h), rollup reads
// (rollup_store.h), hero stories (story_store.h), follow-ups
// (followup_store.h) and alerts (alert_store.h). A backend (SQLite now:
// store/sqlite/; PostgreSQL later) implements CentralStore; code that needs
// one role takes that role's interface, so it can neither reach nor be
// tested against more than it uses. No backend type appears here.
//
// Threading: one CentralStore object per thread (each owns one connection);
// use CentralStorePool (store_pool.h) to share them between request threads.
// Any number of stores (and processes) may open the same database.
//
// Errors: methods return a Status naming what failed; kUnavailable / kBusy /
// kIoError / kDiskFull mean "the store is not working right now" (HTTP 503).
#pragma once

#include "sync/central/store/alert_store.h"
#include "sync/central/store/batch_store.h"
#include "sync/central/store/device_store.h"
#include "sync/central/store/followup_store.h"
#include "sync/central/store/rollup_store.h"
#include "sync/central/store/site_store.h"
#include "sync/central/store/story_store.h"
#include "sync/central/store/user_store.h"

namespace feedback::central {

class CentralStore : public SiteStore,
                     public UserStore,
                     public DeviceStore,
                     public BatchStore,
                     public RollupStore,
                     public StoryStore,
                     public FollowUpStore,
                     public AlertStore {
 public:
  ~CentralStore() override = default;
};

}  // namespace feedback::central
