// The central store's WAL stays bounded while batches stream in: every
// CommitBatch must leave no read cursor open on its connection at COMMIT, or
// SQLite's automatic checkpoint fails (SQLITE_LOCKED, silently) and
// central.db-wal grows by the size of every batch, forever (seen at 1.2 GB
// after 700 k records in sync_bench before the fix).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "common/temp_dir.h"
#include "store/sqlite.h"
#include "sync/central/cli/seed.h"
#include "sync/central/store/sqlite/sqlite_central_store.h"

namespace feedback::central {
namespace {

TEST(CentralWalTest, WalIsCheckpointedWhileBatchesStream) {
  testing::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string db = dir.File("central.db");
  Result<std::unique_ptr<SqliteCentralStore>> store = SqliteCentralStore::Open(db);
  ASSERT_TRUE(store.ok()) << store.status().ToString();

  // 40 batches of 1000 records through CommitBatch: ~60 MiB of WAL frames in
  // all, so without checkpoints the WAL would end far above the bound below.
  SeedOptions options;
  options.records = 40'000;
  options.batch_records = 1000;
  options.sites = 2;
  options.days = 30;
  int64_t max_wal = 0;
  Result<SeedSummary> seeded = SeedStore(**store, options, [&](int64_t) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(db + "-wal", ec);
    if (!ec) max_wal = std::max<int64_t>(max_wal, static_cast<int64_t>(size));
  });
  ASSERT_TRUE(seeded.ok()) << seeded.status().ToString();
  ASSERT_EQ(seeded->records, 40'000);

  // The automatic checkpoint runs at 1000 pages (4 MiB); one batch adds ~1.5 MiB.
  EXPECT_LT(max_wal, 12 << 20) << "central.db-wal grew to " << max_wal << " bytes";
  EXPECT_GT(std::filesystem::file_size(db), 20u << 20) << "nothing was checkpointed into the DB";

  // And the store's connection, still open and idle, holds no snapshot: a
  // passive checkpoint from another connection copies every frame.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  SqliteHandle other(raw);
  int log = -1, done = -1;
  ASSERT_EQ(sqlite3_wal_checkpoint_v2(other.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done),
            SQLITE_OK);
  EXPECT_EQ(log, done);
}

}  // namespace
}  // namespace feedback::central
