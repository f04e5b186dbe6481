// WorkQueue: the jobs the HTTP server's worker pool runs, each a request that
// has been read completely. Two kinds:
//  - general jobs (dashboard, health, enrollment): one FIFO, bounded;
//  - fair jobs (batch ingest): one FIFO per key (the device id), served
//    round-robin across keys, bounded per key and in total, and at most
//    `max_fair_running` of them run at once so ingest never takes every
//    worker from the dashboard.
// A push beyond a bound is refused at once (the caller answers 429 or 503);
// nothing waits unbounded.
//
// Thread-safe: any thread pushes, the workers call RunOne() in a loop.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace feedback::central::http {

struct WorkQueueLimits {
  size_t max_general_queued = 1024;
  size_t max_fair_queued_per_key = 4;
  size_t max_fair_queued = 256;
  int max_fair_running = 2;
};

class WorkQueue {
 public:
  using Job = std::function<void()>;
  enum class Admit { kQueued, kQueueFull, kKeyFull };

  explicit WorkQueue(WorkQueueLimits limits) : limits_(limits) {}

  Admit PushGeneral(Job job);
  Admit PushFair(const std::string& key, Job job);

  // Runs the next job (blocking until there is one); false once Shutdown() was
  // called. Jobs still queued at shutdown are dropped without running.
  bool RunOne();
  void Shutdown();

  size_t fair_queued() const;

 private:
  // Next job under mu_, or an empty Job when none may run now.
  Job TakeLocked(bool* fair);

  const WorkQueueLimits limits_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool shutdown_ = false;
  std::deque<Job> general_;
  std::map<std::string, std::deque<Job>> fair_;  // key -> its queued jobs (never empty)
  std::deque<std::string> ring_;                 // keys with queued jobs, next first
  size_t fair_queued_ = 0;
  int fair_running_ = 0;
  bool prefer_fair_ = false;  // alternates when both kinds wait
};

}  // namespace feedback::central::http
