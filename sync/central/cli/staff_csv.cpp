#include "sync/central/cli/staff_csv.h"

#include <map>
#include <optional>
#include <set>

#include "model/survey.h"

namespace feedback::central {
namespace {

// Splits CSV text into rows of fields; records the line each row starts on.
Result<std::vector<std::pair<size_t, std::vector<std::string>>>> SplitCsv(std::string_view text,
                                                                          std::string_view source) {
  std::vector<std::pair<size_t, std::vector<std::string>>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool field_started = false;
  size_t line = 1;
  size_t row_line = 1;
  auto end_row = [&]() {
    row.push_back(std::move(field));
    field.clear();
    field_started = false;
    if (!(row.size() == 1 && row[0].empty())) rows.emplace_back(row_line, std::move(row));
    row.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (field_started) {
        return Status::InvalidArgument(
            std::string(source) + ": line " + std::to_string(line) +
            ": a quote inside an unquoted field (quote the whole field)");
      }
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      end_row();
      ++line;
      row_line = line;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) {
    return Status::InvalidArgument(std::string(source) + ": line " + std::to_string(row_line) +
                                   ": a quoted field is never closed");
  }
  if (!field.empty() || !row.empty()) end_row();
  return rows;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

bool IsId(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.')) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<std::vector<StaffRow>> ParseStaffCsv(std::string_view text, std::string_view source,
                                            const std::string& only_site) {
  const std::string src(source);
  if (text.size() > kMaxStaffCsvBytes) {
    return Status::ResourceExhausted(src + ": larger than " + std::to_string(kMaxStaffCsvBytes) +
                                     " bytes");
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a spreadsheet's BOM
  FEEDBACK_ASSIGN_OR_RETURN(auto rows, SplitCsv(text, source));
  if (rows.empty()) {
    return Status::InvalidArgument(src +
                                   ": empty; the first line must name the columns "
                                   "staff_id,display_name,team,site");
  }
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < rows[0].second.size(); ++i) {
    const std::string name = Trim(rows[0].second[i]);
    if (name != "staff_id" && name != "display_name" && name != "team" && name != "site") {
      return Status::InvalidArgument(src + ": line 1: unknown column '" + name.substr(0, 40) +
                                     "' (expected staff_id, display_name, team, site)");
    }
    if (!col.emplace(name, i).second) {
      return Status::InvalidArgument(src + ": line 1: column '" + name + "' appears twice");
    }
  }
  for (const char* required : {"staff_id", "display_name"}) {
    if (!col.contains(required)) {
      return Status::InvalidArgument(src + ": line 1: the header has no '" + required + "' column");
    }
  }
  if (only_site.empty() && !col.contains("site")) {
    return Status::InvalidArgument(src + ": line 1: no 'site' column; add one or pass --site");
  }
  std::vector<StaffRow> out;
  std::set<std::string> seen;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& [line, fields] = rows[r];
    const std::string where = src + ": line " + std::to_string(line) + ": ";
    if (fields.size() != rows[0].second.size()) {
      return Status::InvalidArgument(where + "has " + std::to_string(fields.size()) +
                                     " fields, the header has " +
                                     std::to_string(rows[0].second.size()));
    }
    auto get = [&](const char* name) -> std::string {
      auto it = col.find(name);
      return it == col.end() ? std::string() : Trim(fields[it->second]);
    };
    StaffRow s{get("staff_id"), get("display_name"), get("team"), get("site")};
    if (!IsId(s.staff_id)) {
      return Status::InvalidArgument(where + "staff_id '" + s.staff_id.substr(0, 64) +
                                     "' must be 1-64 characters of A-Z a-z 0-9 - _ .");
    }
    if (s.display_name.empty() || s.display_name.size() > kMaxDisplayNameBytes ||
        !Utf8Length(s.display_name)) {
      return Status::InvalidArgument(where + "display_name must be 1-" +
                                     std::to_string(kMaxDisplayNameBytes) +
                                     " bytes of valid UTF-8");
    }
    if (!s.team.empty() && !IsId(s.team)) {
      return Status::InvalidArgument(where + "team '" + s.team.substr(0, 64) +
                                     "' must be 1-64 characters of A-Z a-z 0-9 - _ .");
    }
    if (!only_site.empty()) {
      if (!s.site_id.empty() && s.site_id != only_site) {
        return Status::InvalidArgument(where + "site '" + s.site_id.substr(0, 64) +
                                       "' differs from --site " + only_site);
      }
      s.site_id = only_site;
    }
    if (!IsId(s.site_id)) {
      return Status::InvalidArgument(where + "site '" + s.site_id.substr(0, 64) +
                                     "' must be 1-64 characters of A-Z a-z 0-9 - _ .");
    }
    if (!seen.insert(s.staff_id).second) {
      return Status::InvalidArgument(where + "staff_id '" + s.staff_id + "' appears twice");
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace feedback::central
