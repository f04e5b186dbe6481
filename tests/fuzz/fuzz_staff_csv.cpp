// Fuzz target for the staff roster CSV that `feedback-central staff import`
// loads (sync/central/staff_csv.h): an operator's file, often exported from
// another system. The first byte picks the mode (with or without --site);
// the rest is the file. Whatever parses must satisfy the documented bounds
// and survive a write-as-CSV / parse round trip unchanged. Must never crash,
// hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.h"
#include "sync/central/cli/staff_csv.h"

using feedback::fuzz::Check;
using feedback::fuzz::CsvQuote;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string only_site = (data[0] & 1) != 0 ? "store-1" : "";
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  feedback::Result<std::vector<feedback::central::StaffRow>> rows =
      feedback::central::ParseStaffCsv(text, "fuzz.csv", only_site);
  if (!rows.ok()) {
    Check(rows.status().message().rfind("fuzz.csv", 0) == 0);
    return 0;
  }
  std::string again = "staff_id,display_name,team,site\r\n";
  for (const feedback::central::StaffRow& r : *rows) {
    Check(!r.staff_id.empty() && !r.display_name.empty() && !r.site_id.empty());
    Check(r.display_name.size() <= feedback::central::kMaxDisplayNameBytes);
    if (!only_site.empty()) Check(r.site_id == only_site);
    again += CsvQuote(r.staff_id) + "," + CsvQuote(r.display_name) + "," + CsvQuote(r.team) + "," +
             CsvQuote(r.site_id) + "\r\n";
  }
  feedback::Result<std::vector<feedback::central::StaffRow>> round =
      feedback::central::ParseStaffCsv(again, "round.csv", only_site);
  Check(round.ok() && round->size() == rows->size());
  for (size_t i = 0; i < rows->size(); ++i) {
    const auto& a = (*rows)[i];
    const auto& b = (*round)[i];
    Check(a.staff_id == b.staff_id && a.display_name == b.display_name && a.team == b.team &&
          a.site_id == b.site_id);
  }
  return 0;
}
