// Durability under SIGKILL: a child process captures records in a loop and
// reports each id on a pipe only after Capture() returned. The parent kills it
// at random moments; every reported id must be in the database afterwards and
// the database must pass PRAGMA integrity_check.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "store/capture_store.h"
#include "store/test_support.h"

namespace feedback {
namespace {

using testing::MakeRecord;
using testing::TempDir;
using testing::XorTestSealer;

[[noreturn]] void CaptureForever(const std::string& path, int out_fd) {
  XorTestSealer sealer;
  UuidGenerator ids;
  Result<CaptureStore> store = CaptureStore::Open(path, &sealer);
  if (!store.ok()) _exit(3);
  while (true) {
    FeedbackRecord r = MakeRecord(ids);
    if (!store->Capture(r).ok()) _exit(4);
    std::string line = r.id + "\n";
    if (write(out_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(5);
  }
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

TEST(CrashTest, EveryReturnedCaptureSurvivesSigkill) {
  TempDir dir;
  const std::string path = dir.File("capture.db");
  std::mt19937 rng(20261123);
  std::uniform_int_distribution<int> delay_ms(5, 120);
  std::set<std::string> confirmed;
  constexpr int kKills = 50;
  for (int round = 0; round < kKills; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      CaptureForever(path, fds[1]);
    }
    close(fds[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int wstatus = 0;
    ASSERT_EQ(waitpid(child, &wstatus, 0), child);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited on its own with code " << WEXITSTATUS(wstatus)
                                      << " in round " << round;
    std::istringstream lines(ReadAll(fds[0]));
    close(fds[0]);
    for (std::string id; std::getline(lines, id);) {
      if (id.size() == 36) confirmed.insert(id);  // a line cut by the kill was never confirmed
    }
  }
  XorTestSealer sealer;
  Result<CaptureStore> store = CaptureStore::Open(path, &sealer);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(*store->database().IntegrityCheck(), "ok");
  for (const std::string& id : confirmed) {
    EXPECT_TRUE(store->Get(id).ok()) << "record " << id << " was confirmed but is missing";
  }
  int64_t stored = *store->database().QueryInt("SELECT count(*) FROM records");
  EXPECT_GE(stored, static_cast<int64_t>(confirmed.size()));
  EXPECT_GT(confirmed.size(), 0u) << "the child never captured anything: the test proved nothing";
  std::printf("crash test: %d kills, %zu confirmed captures, %lld rows stored\n", kKills,
              confirmed.size(), static_cast<long long>(stored));
}

}  // namespace
}  // namespace feedback
