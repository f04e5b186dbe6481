// A small RAII layer over the SQLite C API. Database owns one connection,
// Statement one prepared statement, Transaction one BEGIN..COMMIT. Nothing
// outside this file and sqlite.cpp touches a raw sqlite3 or sqlite3_stmt.
//
// Threading: a Database and its Statements belong to one thread at a time.
// Several processes may open the same file: WAL mode lets one writer and many
// readers work at once, and the busy timeout makes a writer wait for another
// writer instead of failing.
//
// Errors: every failing call returns a Status whose message names the database
// file, what was being done, SQLite's own message, and what an operator can do
// (e.g. disk full -> free space; newer schema -> upgrade the program).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"

namespace feedback {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct SqliteFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;
using SqliteStatementHandle = std::unique_ptr<sqlite3_stmt, SqliteFinalizer>;

class Statement {
 public:
  Statement() = default;

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, ByteView value);
  Statement& BindNull(int index);
  template <typename T>
  Statement& Bind(int index, const std::optional<T>& value) {
    return value ? Bind(index, *value) : BindNull(index);
  }

  // Runs one step: true when a row is ready, false when done. A bind error
  // recorded earlier is reported here.
  Result<bool> Step();
  // Steps to completion, for statements that return no rows.
  Status Run();
  // Resets for another execution and clears bindings.
  void Reset();

  int64_t ColumnInt(int col) const;
  double ColumnDouble(int col) const;
  std::string ColumnText(int col) const;
  Bytes ColumnBlob(int col) const;
  bool ColumnIsNull(int col) const;

 private:
  friend class Database;
  explicit Statement(SqliteStatementHandle stmt) : stmt_(std::move(stmt)) {}
  void NoteBind(int rc);

  SqliteStatementHandle stmt_;
  int bind_error_ = SQLITE_OK;
};

class Database {
 public:
  struct Options {
    bool create_if_missing = true;
    bool read_only = false;
    int busy_timeout_ms = 10'000;
    // synchronous=FULL in WAL mode: every commit fsyncs the WAL before returning.
    bool durable = true;
    bool wal = true;
  };

  // Opens (or creates) the file and applies the options. Fails with a specific
  // status when the file is missing, unreadable, not a database or corrupt.
  static Result<Database> Open(const std::string& path, const Options& options);
  static Result<Database> Open(const std::string& path) { return Open(path, Options{}); }

  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);

  // Convenience for "SELECT <one integer>"; NotFound when there is no row.
  Result<int64_t> QueryInt(std::string_view sql);

  int64_t Changes() const;
  const std::string& path() const { return path_; }

  // Turns a SQLite result code into a Status naming this database, the action
  // and advice for the operator.
  Status Error(int rc, std::string_view action) const;

  // "ok" or the problems PRAGMA integrity_check reports, joined.
  Result<std::string> IntegrityCheck();

 private:
  Database(std::string path, SqliteHandle db) : path_(std::move(path)), db_(std::move(db)) {}

  std::string path_;
  SqliteHandle db_;
};

// BEGIN IMMEDIATE ... COMMIT. Immediate, so a writer takes the write lock up
// front (waiting through the busy timeout) instead of failing with
// SQLITE_BUSY when it upgrades a read. Rolls back in the destructor unless
// committed; the destructor never throws.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Begin();
  Status Commit();

 private:
  Database& db_;
  bool open_ = false;
};

// A numbered schema step. Migrate() applies the ones a database lacks, each in
// its own transaction, and records them in the schema_migrations table.
struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// Brings db up to the newest of migrations (ordered by version, from 1).
// Fails with kVersionMismatch when the database was written by a newer
// program (it has a version this program does not know).
Status Migrate(Database& db, std::span<const Migration> migrations, std::string_view program);

}  // namespace feedback
