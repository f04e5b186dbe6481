// CSV export (format=csv on the data endpoints): RFC 4180 cells with
// spreadsheet formulas neutralised, and the file answer with its name.
// Stateless functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sync/central/http/http_message.h"

namespace feedback::central::dashboard {

// One cell: quoted when it holds , " CR or LF; a leading = + - @ that is not a
// negative number gets a ' so a spreadsheet shows it as text.
std::string CsvCell(std::string v);
// A text/csv attachment "<name>.csv": the header line, then the rows.
http::Response Csv(const std::string& name, const std::vector<std::string>& header,
                   const std::vector<std::vector<std::string>>& rows);
// A JSON value as one cell: "" for null, %.6g for doubles, strings as they are.
std::string Num(const nlohmann::json& v);

}  // namespace feedback::central::dashboard
