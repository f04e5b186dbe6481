#include "logic/roster_csv.h"

#include <set>

#include "device/device_config.h"
#include "model/survey.h"

namespace feedback::kiosk {
namespace {

// Splits one CSV line; false on an unterminated quote.
bool SplitCsvLine(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else {
      field.push_back(c);
    }
  }
  fields.push_back(std::move(field));
  return !quoted;
}

std::string Trim(std::string s) {
  const char* kSpace = " \t";
  s.erase(0, s.find_first_not_of(kSpace));
  s.erase(s.find_last_not_of(kSpace) + 1);
  return s;
}

}  // namespace

Result<std::vector<StaffMember>> ParseRosterCsv(std::string_view text, std::string_view source) {
  std::vector<StaffMember> staff;
  std::set<std::string> ids;
  std::vector<std::string> fields;
  size_t line_no = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);  // BOM
    auto fail = [&](const std::string& problem) {
      return Status::InvalidArgument(std::string(source) + ":" + std::to_string(line_no) + ": " +
                                     problem);
    };
    if (Trim(std::string(line)).empty() || line.starts_with("#")) continue;
    if (!SplitCsvLine(line, fields)) return fail("a quoted field is not closed");
    if (staff.empty() && ids.empty() && Trim(fields[0]) == "staff_id") continue;  // header
    if (fields.size() < 2 || fields.size() > 3) {
      return fail("expected staff_id,display_name[,team]");
    }
    StaffMember m{Trim(fields[0]), Trim(fields[1]), fields.size() > 2 ? Trim(fields[2]) : ""};
    if (m.staff_id.empty() || m.staff_id.size() > kMaxIdLength)
      return fail("staff_id must be 1-64 characters");
    std::optional<size_t> name_length = Utf8Length(m.display_name);
    if (!name_length) return fail("display_name is not valid UTF-8");
    if (*name_length == 0 || *name_length > kMaxHeroNameLength) {
      return fail("display_name must be 1-100 characters");
    }
    if (!ids.insert(m.staff_id).second)
      return fail("staff_id \"" + m.staff_id + "\" appears twice");
    if (staff.size() >= kMaxRosterEntries) return fail("more than 2000 people on one roster");
    staff.push_back(std::move(m));
  }
  return staff;
}

Result<std::vector<StaffMember>> LoadRosterCsv(const std::string& path) {
  FEEDBACK_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, kMaxRosterFileBytes));
  return ParseRosterCsv(text, path);
}

}  // namespace feedback::kiosk
