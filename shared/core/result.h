// Result<T>: either a value or a non-OK Status (C++20 has no std::expected).
// Construct from a T for success or from a Status for failure; constructing
// from an OK Status is a programmer error and becomes Status::Internal.
// Like Status, a Result is a plain value with no thread affinity.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "core/status.h"

namespace feedback {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(data_).ok()) {
      data_ = Status::Internal("Result constructed from an OK status without a value");
    }
  }

  bool ok() const { return std::holds_alternative<T>(data_); }

  // The failure; OK when the Result holds a value.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(data_); }

  // The value. Calling these on a failed Result is a programmer error.
  T& value() & { assert(ok()); return std::get<T>(data_); }
  const T& value() const& { assert(ok()); return std::get<T>(data_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  T value_or(T fallback) const { return ok() ? std::get<T>(data_) : std::move(fallback); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace feedback

// Evaluates a Status expression and returns it from the enclosing function if not OK.
#define FEEDBACK_RETURN_IF_ERROR(expr)                 \
  do {                                                 \
    ::feedback::Status feedback_status_ = (expr);      \
    if (!feedback_status_.ok()) return feedback_status_; \
  } while (false)

#define FEEDBACK_CONCAT_INNER_(a, b) a##b
#define FEEDBACK_CONCAT_(a, b) FEEDBACK_CONCAT_INNER_(a, b)

// FEEDBACK_ASSIGN_OR_RETURN(auto x, Foo()); declares x from a Result or returns its Status.
#define FEEDBACK_ASSIGN_OR_RETURN(lhs, expr) \
  FEEDBACK_ASSIGN_OR_RETURN_IMPL_(FEEDBACK_CONCAT_(feedback_result_, __LINE__), lhs, expr)
#define FEEDBACK_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                    \
  if (!tmp.ok()) return tmp.status();                   \
  lhs = std::move(tmp).value()
