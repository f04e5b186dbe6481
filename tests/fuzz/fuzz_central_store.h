// The central store the in-process fuzz targets of its handlers run on: a
// real SQLite store in a fresh temp folder, seeded with `records` records
// over two sites and `days` days ending at `end_ms`, and removed when the
// process exits. Created once per process; not thread-safe.
#pragma once

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "core/clock.h"
#include "fuzz_common.h"
#include "sync/central/cli/seed.h"
#include "sync/central/store/sqlite/sqlite_central_store.h"

namespace feedback::fuzz {

struct SeededStore {
  std::string dir;
  std::unique_ptr<central::SqliteCentralStore> store;
};

// `name` names the temp folder (/tmp/NAME.XXXXXX). Call it once: the folder
// is removed at exit.
inline SeededStore& OpenSeededStore(const char* name, int records, int days, TimeMs end_ms) {
  static SeededStore seeded;
  std::string tmpl = std::string("/tmp/") + name + ".XXXXXX";
  Check(mkdtemp(tmpl.data()) != nullptr);
  seeded.dir = tmpl;
  auto store = central::SqliteCentralStore::Open(seeded.dir + "/central.db");
  Check(store.ok());
  seeded.store = std::move(store).value();
  central::SeedOptions seed;
  seed.records = records;
  seed.sites = 2;
  seed.days = days;
  seed.end_ms = end_ms;
  Check(central::SeedStore(*seeded.store, seed, [](int64_t) {}).ok());
  std::atexit([] { std::filesystem::remove_all(seeded.dir); });
  return seeded;
}

}  // namespace feedback::fuzz
