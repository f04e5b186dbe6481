#include "sync/central/http/work_queue.h"

#include <utility>

namespace feedback::central::http {

WorkQueue::Admit WorkQueue::PushGeneral(Job job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (general_.size() >= limits_.max_general_queued) return Admit::kQueueFull;
    general_.push_back(std::move(job));
  }
  cv_.notify_one();
  return Admit::kQueued;
}

WorkQueue::Admit WorkQueue::PushFair(const std::string& key, Job job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (fair_queued_ >= limits_.max_fair_queued) return Admit::kQueueFull;
    std::deque<Job>& q = fair_[key];
    if (q.size() >= limits_.max_fair_queued_per_key) return Admit::kKeyFull;
    if (q.empty()) ring_.push_back(key);
    q.push_back(std::move(job));
    ++fair_queued_;
  }
  cv_.notify_one();
  return Admit::kQueued;
}

WorkQueue::Job WorkQueue::TakeLocked(bool* fair) {
  const bool fair_ready = !ring_.empty() && fair_running_ < limits_.max_fair_running;
  const bool general_ready = !general_.empty();
  if (!fair_ready && !general_ready) return {};
  const bool take_fair = fair_ready && (!general_ready || prefer_fair_);
  prefer_fair_ = !take_fair;
  *fair = take_fair;
  Job job;
  if (take_fair) {
    const std::string key = std::move(ring_.front());
    ring_.pop_front();
    auto it = fair_.find(key);
    job = std::move(it->second.front());
    it->second.pop_front();
    --fair_queued_;
    if (it->second.empty()) {
      fair_.erase(it);
    } else {
      ring_.push_back(key);  // round-robin: this key waits behind every other
    }
    ++fair_running_;
  } else {
    job = std::move(general_.front());
    general_.pop_front();
  }
  return job;
}

bool WorkQueue::RunOne() {
  bool fair = false;
  Job job;
  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] {
      if (shutdown_) return true;
      job = TakeLocked(&fair);
      return static_cast<bool>(job);
    });
    if (shutdown_) return false;
  }
  job();
  if (fair) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      --fair_running_;
    }
    // A fair job may have been waiting only for this slot.
    cv_.notify_all();
  }
  return true;
}

void WorkQueue::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutdown_ = true;
    general_.clear();
    fair_.clear();
    ring_.clear();
    fair_queued_ = 0;
  }
  cv_.notify_all();
}

size_t WorkQueue::fair_queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fair_queued_;
}

}  // namespace feedback::central::http
