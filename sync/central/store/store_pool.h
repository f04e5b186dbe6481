// CentralStorePool: hands each request thread a CentralStore of its own (a
// store is single-threaded: it owns one database connection) and takes it
// back afterwards, creating stores on demand through a factory so the pool
// works for any implementation (SQLite now, PostgreSQL later).
//
// Threading: Acquire() and Lease destruction are safe from any thread. A
// Lease must not outlive its pool. Owns the idle stores.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/result.h"
#include "sync/central/store/central_store.h"

namespace feedback::central {

class CentralStorePool {
 public:
  using Factory = std::function<Result<std::unique_ptr<CentralStore>>()>;

  // Keeps at most max_idle stores open between requests.
  CentralStorePool(Factory factory, size_t max_idle)
      : factory_(std::move(factory)), max_idle_(max_idle) {}

  class Lease {
   public:
    Lease(CentralStorePool* pool, std::unique_ptr<CentralStore> store)
        : pool_(pool), store_(std::move(store)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = default;
    ~Lease() {
      if (pool_ != nullptr && store_) pool_->Return(std::move(store_));
    }
    CentralStore& operator*() { return *store_; }
    CentralStore* operator->() { return store_.get(); }

   private:
    CentralStorePool* pool_;
    std::unique_ptr<CentralStore> store_;
  };

  // An idle store, or a new one from the factory (whose failure is returned).
  Result<Lease> Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!idle_.empty()) {
        std::unique_ptr<CentralStore> s = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(s));
      }
    }
    FEEDBACK_ASSIGN_OR_RETURN(std::unique_ptr<CentralStore> s, factory_());
    return Lease(this, std::move(s));
  }

 private:
  void Return(std::unique_ptr<CentralStore> store) {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < max_idle_) idle_.push_back(std::move(store));
  }

  Factory factory_;
  size_t max_idle_;
  std::mutex mu_;
  std::vector<std::unique_ptr<CentralStore>> idle_;
};

}  // namespace feedback::central
