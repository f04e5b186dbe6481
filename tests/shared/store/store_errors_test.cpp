// Each way the disk can refuse a capture gives a specific status whose message
// names the file and says what to do.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "store/capture_store.h"
#include "store/test_support.h"

namespace feedback {
namespace {

using testing::MakeRecord;
using testing::TempDir;
using testing::XorTestSealer;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(StoreErrorsTest, FullDiskSaysDiskFull) {
  TempDir dir;
  XorTestSealer sealer;
  UuidGenerator ids;
  Result<CaptureStore> store = CaptureStore::Open(dir.File("capture.db"), &sealer);
  ASSERT_TRUE(store.ok());
  // Cap the file at its current size plus a few pages: the same SQLITE_FULL a
  // full file system gives.
  int64_t pages = *store->database().QueryInt("PRAGMA page_count");
  ASSERT_TRUE(store->database().Exec("PRAGMA max_page_count=" + std::to_string(pages + 2)).ok());
  Status s;
  int captured = 0;
  for (int i = 0; i < 1000 && s.ok(); ++i) {
    s = store->Capture(MakeRecord(ids, "", std::string(2000, 'x')));
    if (s.ok()) ++captured;
  }
  ASSERT_EQ(s.code(), Status::Code::kDiskFull) << s.ToString();
  EXPECT_TRUE(Contains(s.message(), dir.File("capture.db"))) << s.message();
  EXPECT_TRUE(Contains(s.message(), "free space")) << s.message();
  // What was captured before the disk filled is intact and nothing is half-written.
  EXPECT_EQ(store->Counts()->pending, captured);
  EXPECT_EQ(*store->database().IntegrityCheck(), "ok");
}

TEST(StoreErrorsTest, ReadOnlyDatabaseSaysReadOnly) {
  TempDir dir;
  XorTestSealer sealer;
  UuidGenerator ids;
  Result<CaptureStore> store = CaptureStore::Open(dir.File("capture.db"), &sealer);
  ASSERT_TRUE(store.ok());
  // Root ignores file modes, so make the connection itself refuse writes.
  ASSERT_TRUE(store->database().Exec("PRAGMA query_only=ON").ok());
  Status s = store->Capture(MakeRecord(ids));
  EXPECT_EQ(s.code(), Status::Code::kReadOnly) << s.ToString();
  EXPECT_TRUE(Contains(s.message(), "read-only")) << s.message();
}

TEST(StoreErrorsTest, ReadOnlyFileForAnOrdinaryUser) {
  if (geteuid() == 0) GTEST_SKIP() << "root writes read-only files; covered by ReadOnlyDatabaseSaysReadOnly";
  TempDir dir;
  XorTestSealer sealer;
  UuidGenerator ids;
  { ASSERT_TRUE(CaptureStore::Open(dir.File("capture.db"), &sealer).ok()); }
  std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  std::filesystem::permissions(dir.File("capture.db"), std::filesystem::perms::owner_read);
  Result<CaptureStore> store = CaptureStore::Open(dir.File("capture.db"), &sealer);
  Status s = store.ok() ? store->Capture(MakeRecord(ids)) : store.status();
  std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all);
  EXPECT_EQ(s.code(), Status::Code::kReadOnly) << s.ToString();
}

TEST(StoreErrorsTest, GarbageFileSaysCorruption) {
  TempDir dir;
  {
    std::ofstream out(dir.File("capture.db"), std::ios::binary);
    out << std::string(8192, '\x42');
  }
  Result<CaptureStore> store = CaptureStore::Open(dir.File("capture.db"), nullptr);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kCorruption) << store.status().ToString();
  EXPECT_TRUE(Contains(store.status().message(), dir.File("capture.db")));
  EXPECT_TRUE(Contains(store.status().message(), "restore it from a backup"));
}

TEST(StoreErrorsTest, DamagedPagesAreReportedNotIgnored) {
  TempDir dir;
  XorTestSealer sealer;
  UuidGenerator ids;
  {
    Result<CaptureStore> store = CaptureStore::Open(dir.File("capture.db"), &sealer);
    ASSERT_TRUE(store.ok());
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(store->Capture(MakeRecord(ids)).ok());
    ASSERT_TRUE(store->database().Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  }
  {
    // Overwrite the middle of the file (table b-tree pages), keeping the header.
    std::fstream f(dir.File("capture.db"), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096 * 3);
    std::string junk(4096 * 4, '\x7f');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  Result<CaptureStore> store = CaptureStore::Open(dir.File("capture.db"), &sealer);
  Status s = store.ok() ? store->Pending(1000).status() : store.status();
  EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
}

TEST(StoreErrorsTest, NewerSchemaIsRefusedWithUpgradeAdvice) {
  TempDir dir;
  {
    Result<CaptureStore> store = CaptureStore::Open(dir.File("capture.db"), nullptr);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store->database()
                    .Exec("INSERT INTO schema_migrations(version, description) VALUES(99, 'future')")
                    .ok());
  }
  Result<CaptureStore> store = CaptureStore::Open(dir.File("capture.db"), nullptr);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kVersionMismatch);
  EXPECT_EQ(store.status().message(),
            "database " + dir.File("capture.db") +
                " has schema version 99, newer than the 4 this capture store knows: it was written "
                "by a newer release; upgrade capture store (do not downgrade over a newer database)");
}

TEST(StoreErrorsTest, MissingFolderSaysWhichPath) {
  TempDir dir;
  Result<CaptureStore> store = CaptureStore::Open(dir.File("no/such/folder/capture.db"), nullptr);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kIoError);
  EXPECT_TRUE(Contains(store.status().message(), "no/such/folder/capture.db"));
  EXPECT_TRUE(Contains(store.status().message(), "check that the folder exists"));
}

}  // namespace
}  // namespace feedback
