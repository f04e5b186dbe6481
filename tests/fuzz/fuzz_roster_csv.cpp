// Fuzz target for the kiosk's --roster CSV (kiosk/logic/roster_csv.h), a file
// the kiosk reads at start. Whatever parses must satisfy the documented
// bounds and survive a write-as-CSV / parse round trip unchanged. Must never
// crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "logic/roster_csv.h"
#include "model/survey.h"

using feedback::fuzz::Check;
using feedback::fuzz::CsvQuote;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  feedback::Result<std::vector<feedback::StaffMember>> staff =
      feedback::kiosk::ParseRosterCsv(text, "fuzz.csv");
  if (!staff.ok()) {
    Check(staff.status().message().rfind("fuzz.csv:", 0) == 0);
    return 0;
  }
  Check(staff->size() <= feedback::kiosk::kMaxRosterEntries);
  std::string again = "staff_id,display_name,team\n";
  for (const feedback::StaffMember& m : *staff) {
    Check(!m.staff_id.empty() && m.staff_id.size() <= feedback::kMaxIdLength);
    const std::optional<size_t> name_length = feedback::Utf8Length(m.display_name);
    Check(name_length && *name_length >= 1 && *name_length <= feedback::kMaxHeroNameLength);
    again += CsvQuote(m.staff_id) + "," + CsvQuote(m.display_name) + "," + CsvQuote(m.team) + "\n";
  }
  feedback::Result<std::vector<feedback::StaffMember>> round =
      feedback::kiosk::ParseRosterCsv(again, "round.csv");
  Check(round.ok() && round->size() == staff->size());
  for (size_t i = 0; i < staff->size(); ++i) {
    const auto& a = (*staff)[i];
    const auto& b = (*round)[i];
    Check(a.staff_id == b.staff_id && a.display_name == b.display_name && a.team == b.team);
  }
  return 0;
}
