#include "store/sqlite.h"

#include <string>

namespace feedback {
namespace {

// The Status for rc on connection db while doing action, with advice.
Status SqliteError(sqlite3* db, int rc, std::string_view action) {
  const char* file = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
  std::string msg = "database ";
  msg += (file != nullptr && *file != '\0') ? file : "(memory)";
  msg += ": ";
  msg += action;
  msg += " failed: ";
  msg += (db != nullptr) ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return Status::DiskFull(msg + " (the disk is full: free space on that file system)");
    case SQLITE_READONLY:
      return Status::ReadOnly(msg + " (the file or its folder is read-only: check the mount and the "
                                    "file's owner and mode)");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(msg + " (the file is damaged or not a database: move it aside and "
                                      "restore it from a backup)");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Busy(msg + " (another process held the database lock past the busy timeout)");
    case SQLITE_CANTOPEN:
      return Status::IoError(msg + " (check that the folder exists and is writable)");
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return Status::PermissionDenied(msg);
    case SQLITE_IOERR:
      return Status::IoError(msg + " (the operating system refused the read or write)");
    case SQLITE_CONSTRAINT:
      return Status::AlreadyExists(msg);
    case SQLITE_TOOBIG:
      return Status::ResourceExhausted(msg);
    default:
      return Status::Internal(msg);
  }
}

}  // namespace

// --- Statement ---------------------------------------------------------------

void Statement::NoteBind(int rc) {
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

Statement& Statement::Bind(int index, int64_t value) {
  NoteBind(sqlite3_bind_int64(stmt_.get(), index, value));
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  NoteBind(sqlite3_bind_double(stmt_.get(), index, value));
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  NoteBind(sqlite3_bind_text64(stmt_.get(), index, value.data(), value.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8));
  return *this;
}

Statement& Statement::Bind(int index, ByteView value) {
  // A zero-length blob must still bind as a blob, not NULL: pass a valid pointer.
  static const uint8_t kEmpty = 0;
  NoteBind(sqlite3_bind_blob64(stmt_.get(), index, value.empty() ? &kEmpty : value.data(),
                               value.size(), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::BindNull(int index) {
  NoteBind(sqlite3_bind_null(stmt_.get(), index));
  return *this;
}

Result<bool> Statement::Step() {
  sqlite3* db = sqlite3_db_handle(stmt_.get());
  if (bind_error_ != SQLITE_OK) {
    return SqliteError(db, bind_error_, "binding parameters");
  }
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status s = SqliteError(db, rc, std::string("running \"") + sqlite3_sql(stmt_.get()) + "\"");
  sqlite3_reset(stmt_.get());
  return s;
}

Status Statement::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  bind_error_ = SQLITE_OK;
}

int64_t Statement::ColumnInt(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
double Statement::ColumnDouble(int col) const { return sqlite3_column_double(stmt_.get(), col); }
bool Statement::ColumnIsNull(int col) const {
  return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL;
}

std::string Statement::ColumnText(int col) const {
  const unsigned char* text = sqlite3_column_text(stmt_.get(), col);
  int n = sqlite3_column_bytes(stmt_.get(), col);
  return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text),
                                                       static_cast<size_t>(n));
}

Bytes Statement::ColumnBlob(int col) const {
  const void* blob = sqlite3_column_blob(stmt_.get(), col);
  int n = sqlite3_column_bytes(stmt_.get(), col);
  const uint8_t* p = static_cast<const uint8_t*>(blob);
  return p == nullptr ? Bytes() : Bytes(p, p + n);
}

// --- Database ----------------------------------------------------------------

Result<Database> Database::Open(const std::string& path, const Options& options) {
  int flags = options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (options.create_if_missing && !options.read_only) flags |= SQLITE_OPEN_CREATE;
  flags |= SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqliteHandle handle(raw);
  if (rc != SQLITE_OK) {
    return SqliteError(handle.get(), rc, "opening " + path);
  }
  Database db(path, std::move(handle));
  sqlite3_busy_timeout(db.db_.get(), options.busy_timeout_ms);
  sqlite3_extended_result_codes(db.db_.get(), 1);
  // Reading the schema is the first real I/O: it is where a non-database or a
  // corrupt header shows up, so do it now rather than at the first capture.
  if (Status s = db.Exec("SELECT count(*) FROM sqlite_schema"); !s.ok()) return s;
  if (!options.read_only && options.wal) {
    FEEDBACK_RETURN_IF_ERROR(db.Exec("PRAGMA journal_mode=WAL"));
  }
  FEEDBACK_RETURN_IF_ERROR(db.Exec(options.durable ? "PRAGMA synchronous=FULL"
                                                   : "PRAGMA synchronous=NORMAL"));
  FEEDBACK_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys=ON"));
  return db;
}

Status Database::Exec(std::string_view sql) {
  // sqlite3_exec needs a NUL-terminated string.
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return Error(rc, "running \"" + text.substr(0, 80) + "\"");
  return Status::Ok();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  SqliteStatementHandle stmt(raw);
  if (rc != SQLITE_OK) return Error(rc, "preparing \"" + std::string(sql.substr(0, 80)) + "\"");
  return Statement(std::move(stmt));
}

Result<int64_t> Database::QueryInt(std::string_view sql) {
  FEEDBACK_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql));
  FEEDBACK_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::NotFound("no row for \"" + std::string(sql) + "\"");
  return stmt.ColumnInt(0);
}

int64_t Database::Changes() const { return sqlite3_changes64(db_.get()); }

Status Database::Error(int rc, std::string_view action) const {
  return SqliteError(db_.get(), rc, action);
}

Result<std::string> Database::IntegrityCheck() {
  FEEDBACK_ASSIGN_OR_RETURN(Statement stmt, Prepare("PRAGMA integrity_check"));
  std::string out;
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if (!out.empty()) out += "; ";
    out += stmt.ColumnText(0);
  }
  return out;
}

// --- Transaction ---------------------------------------------------------------

Transaction::~Transaction() {
  if (open_) (void)db_.Exec("ROLLBACK");
}

Status Transaction::Begin() {
  FEEDBACK_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
  open_ = true;
  return Status::Ok();
}

Status Transaction::Commit() {
  Status s = db_.Exec("COMMIT");
  if (s.ok()) open_ = false;
  return s;
}

// --- Migrations ------------------------------------------------------------------

Status Migrate(Database& db, std::span<const Migration> migrations, std::string_view program) {
  FEEDBACK_RETURN_IF_ERROR(db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, "
      "description TEXT NOT NULL, applied_at INTEGER NOT NULL DEFAULT (unixepoch()))"));
  const int newest = migrations.empty() ? 0 : migrations.back().version;
  for (const Migration& m : migrations) {
    // Read the version inside the write transaction: two processes (an app
    // and its sync daemon) may start on a new database at the same moment.
    Transaction txn(db);
    FEEDBACK_RETURN_IF_ERROR(txn.Begin());
    FEEDBACK_ASSIGN_OR_RETURN(int64_t current,
                              db.QueryInt("SELECT coalesce(max(version), 0) FROM schema_migrations"));
    if (current > newest) {
      return Status::VersionMismatch(
          "database " + db.path() + " has schema version " + std::to_string(current) +
          ", newer than the " + std::to_string(newest) + " this " + std::string(program) +
          " knows: it was written by a newer release; upgrade " + std::string(program) +
          " (do not downgrade over a newer database)");
    }
    if (m.version <= current) continue;
    FEEDBACK_RETURN_IF_ERROR(db.Exec(m.sql).WithContext(
        "applying schema migration " + std::to_string(m.version) + " (" + std::string(m.description) + ")"));
    FEEDBACK_ASSIGN_OR_RETURN(Statement record,
                              db.Prepare("INSERT INTO schema_migrations(version, description) VALUES(?, ?)"));
    FEEDBACK_RETURN_IF_ERROR(record.Bind(1, m.version).Bind(2, m.description).Run());
    FEEDBACK_RETURN_IF_ERROR(txn.Commit());
  }
  return Status::Ok();
}

}  // namespace feedback
