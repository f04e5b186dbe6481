// Two processes on one capture database for 10 s, as on a device: the app
// captures while the sync daemon reads pending records, assigns batches and
// acknowledges them. No SQLITE_BUSY may reach either caller, nothing may be
// lost or stored twice.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "store/capture_store.h"
#include "store/test_support.h"

namespace feedback {
namespace {

using testing::MakeRecord;
using testing::TempDir;
using testing::XorTestSealer;
using Seconds = std::chrono::seconds;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kRunFor = Seconds(10);

void Fail(int fd, const Status& s) {
  std::string msg = "ERROR " + s.ToString() + "\n";
  (void)!write(fd, msg.data(), msg.size());
  _exit(1);
}

[[noreturn]] void Writer(const std::string& path, int fd) {
  XorTestSealer sealer;
  UuidGenerator ids;
  Result<CaptureStore> store = CaptureStore::Open(path, &sealer);
  if (!store.ok()) Fail(fd, store.status());
  long captured = 0;
  for (auto end = SteadyClock::now() + kRunFor; SteadyClock::now() < end;) {
    if (Status s = store->Capture(MakeRecord(ids)); !s.ok()) Fail(fd, s);
    ++captured;
    // Far faster than any kiosk or rep, yet leaves the lock free now and then
    // as real capture does; a writer that never pauses starves the daemon's
    // sleeping busy handler (a real device never does that).
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::string msg = "captured " + std::to_string(captured) + "\n";
  (void)!write(fd, msg.data(), msg.size());
  _exit(0);
}

[[noreturn]] void Updater(const std::string& path, int fd) {
  Result<CaptureStore> store = CaptureStore::Open(path, nullptr);
  if (!store.ok()) Fail(fd, store.status());
  long acknowledged = 0, batches = 0;
  for (auto end = SteadyClock::now() + kRunFor; SteadyClock::now() < end;) {
    Result<std::vector<StoredRecord>> pending = store->Pending(50);
    if (!pending.ok()) Fail(fd, pending.status());
    std::vector<std::string> ids;
    for (const StoredRecord& r : *pending) ids.push_back(r.record.id);
    if (!ids.empty()) {
      ++batches;
      if (Status s = store->AssignToBatch(batches, ids); !s.ok()) Fail(fd, s);
      if (Status s = store->Acknowledge(batches); !s.ok()) Fail(fd, s);
      acknowledged += static_cast<long>(ids.size());
    }
    if (Result<OutboxCounts> c = store->Counts(); !c.ok()) Fail(fd, c.status());
    if (Status s = store->SetSetting("sync.last_success", std::to_string(batches)); !s.ok()) Fail(fd, s);
  }
  std::string msg = "acknowledged " + std::to_string(acknowledged) + "\n";
  (void)!write(fd, msg.data(), msg.size());
  _exit(0);
}

struct Child {
  pid_t pid;
  int fd;
};

template <typename Fn>
Child Spawn(Fn fn, const std::string& path) {
  int fds[2];
  if (pipe(fds) != 0) return {-1, -1};
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    fn(path, fds[1]);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

std::string Finish(Child c, int& exit_code) {
  std::string out;
  char buf[512];
  ssize_t n;
  while ((n = read(c.fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(c.fd);
  int wstatus = 0;
  waitpid(c.pid, &wstatus, 0);
  exit_code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128;
  return out;
}

TEST(ConcurrencyTest, WriterAndUpdaterProcessesNeverSeeBusy) {
  TempDir dir;
  const std::string path = dir.File("capture.db");
  { ASSERT_TRUE(CaptureStore::Open(path, nullptr).ok()); }  // schema in place before both start

  Child writer = Spawn(Writer, path);
  Child updater = Spawn(Updater, path);
  ASSERT_GT(writer.pid, 0);
  ASSERT_GT(updater.pid, 0);
  int writer_code = 0, updater_code = 0;
  std::string writer_out = Finish(writer, writer_code);
  std::string updater_out = Finish(updater, updater_code);
  ASSERT_EQ(writer_code, 0) << writer_out;
  ASSERT_EQ(updater_code, 0) << updater_out;

  long captured = std::stol(writer_out.substr(writer_out.find(' ') + 1));
  long acknowledged = std::stol(updater_out.substr(updater_out.find(' ') + 1));
  std::printf("concurrency: %ld captured, %ld acknowledged in 10 s\n", captured, acknowledged);

  Result<CaptureStore> store = CaptureStore::Open(path, nullptr);
  ASSERT_TRUE(store.ok());
  OutboxCounts counts = *store->Counts();
  EXPECT_GT(captured, 0);
  // The daemon kept up: everything but the last moments' captures was acknowledged.
  EXPECT_GT(acknowledged, captured * 9 / 10);
  EXPECT_EQ(counts.pending + counts.in_batch + counts.acknowledged, captured);
  EXPECT_EQ(counts.acknowledged, acknowledged);
  EXPECT_EQ(counts.in_batch, 0);
  EXPECT_EQ(*store->database().IntegrityCheck(), "ok");
}

}  // namespace
}  // namespace feedback
