#include "sync/central/dashboard/csv_export.h"

#include <cstdio>

namespace feedback::central::dashboard {

std::string CsvCell(std::string v) {
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) {
    // A negative number is data, not a formula.
    const bool number = v.size() > 1 && v[0] == '-' &&
                        v.find_first_not_of("0123456789.", 1) == std::string::npos;
    if (!number) v = "'" + v;
  }
  if (v.find_first_of(",\"\r\n") != std::string::npos) {
    std::string q = "\"";
    for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  return v;
}

http::Response Csv(const std::string& name, const std::vector<std::string>& header,
                   const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  auto line = [&out](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + CsvCell(cells[i]);
    out += "\r\n";
  };
  line(header);
  for (const auto& r : rows) line(r);
  http::Response r;
  r.body = std::move(out);
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
  return r;
}

std::string Num(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.6g", v.get<double>());
    return buf;
  }
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

}  // namespace feedback::central::dashboard
