#include "sync/central/store/rollup_delta.h"

#include <chrono>

namespace feedback::central {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

int64_t MondayOf(int64_t day) {
  // 1970-01-01 was a Thursday: Monday-based weekday = (day + 3) mod 7.
  return day - ((day + 3) % 7 + 7) % 7;
}

int64_t FirstOfMonth(int64_t day) {
  const year_month_day ymd{sys_days{days{day}}};
  return sys_days{ymd.year() / ymd.month() / 1}.time_since_epoch().count();
}

void Merge(MomentSums& into, const MomentSums& from) {
  into.n += from.n;
  into.rows_dropped += from.rows_dropped;
  for (const auto& [pair, total] : from.other) into.other[pair] += total;
  if (from.variables.empty()) return;
  if (into.variables.empty()) {
    into.variables = from.variables;
    into.sums.assign(from.sums.size(), 0.0);
    into.products.assign(from.products.size(), 0.0);
  }
  if (into.variables == from.variables) {
    for (size_t i = 0; i < from.sums.size(); ++i) into.sums[i] += from.sums[i];
    for (size_t i = 0; i < from.products.size(); ++i) into.products[i] += from.products[i];
    return;
  }
  for (const auto& [a, b, total] : from.Sums()) into.other[{a, b}] += total;
}

void Merge(RollupGroup& into, const RollupGroup& from) {
  for (const auto& [status, n] : from.responses) into.responses[status] += n;
  for (const auto& [key, value] : from.scores) {
    auto& slot = into.scores[key];
    slot.first = value.first;
    slot.second += value.second;
  }
  for (const auto& [key, n] : from.choices) into.choices[key] += n;
  for (const auto& [version, m] : from.drivers) Merge(into.drivers[version], m);
}

}  // namespace

char GrainCode(RollupGrain grain) {
  switch (grain) {
    case RollupGrain::kRepDay:
      return 'r';
    case RollupGrain::kDay:
      return 'd';
    case RollupGrain::kWeek:
      return 'w';
    case RollupGrain::kMonth:
      return 'm';
  }
  return 'd';
}

int64_t PeriodStart(RollupGrain grain, int64_t day) {
  switch (grain) {
    case RollupGrain::kWeek:
      return MondayOf(day);
    case RollupGrain::kMonth:
      return FirstOfMonth(day);
    case RollupGrain::kRepDay:
    case RollupGrain::kDay:
      break;
  }
  return day;
}

int64_t PeriodEnd(RollupGrain grain, int64_t day) {
  switch (grain) {
    case RollupGrain::kWeek:
      return MondayOf(day) + 6;
    case RollupGrain::kMonth: {
      const year_month_day ymd{sys_days{days{day}}};
      const year_month_day next = ymd.year() / ymd.month() / 1 + std::chrono::months{1};
      return sys_days{next}.time_since_epoch().count() - 1;
    }
    case RollupGrain::kRepDay:
    case RollupGrain::kDay:
      break;
  }
  return day;
}

std::vector<PeriodRange> CoverDays(int64_t from, int64_t to, RollupGrain coarsest) {
  std::vector<PeriodRange> out;
  if (from > to) return out;
  if (coarsest == RollupGrain::kMonth) {
    // Month by month, so that no week crosses into another month (a trend by
    // month must be able to put every period in exactly one month).
    for (int64_t start = from; start <= to;) {
      const int64_t end = std::min(to, PeriodEnd(RollupGrain::kMonth, start));
      if (start == PeriodStart(RollupGrain::kMonth, start) &&
          end == PeriodEnd(RollupGrain::kMonth, start)) {
        if (!out.empty() && out.back().grain == RollupGrain::kMonth) {
          out.back().last = start;  // the month before was whole too
        } else {
          out.push_back({RollupGrain::kMonth, start, start});
        }
      } else {
        for (const PeriodRange& r : CoverDays(start, end, RollupGrain::kWeek)) out.push_back(r);
      }
      start = end + 1;
    }
    return out;
  }
  if (coarsest == RollupGrain::kWeek) {
    const int64_t first = PeriodStart(RollupGrain::kWeek, from) == from
                              ? from
                              : PeriodEnd(RollupGrain::kWeek, from) + 1;
    const int64_t last_end = PeriodEnd(RollupGrain::kWeek, to) == to
                                 ? to
                                 : PeriodStart(RollupGrain::kWeek, to) - 1;
    if (first <= last_end) {
      if (from < first) out.push_back({RollupGrain::kDay, from, first - 1});
      out.push_back({RollupGrain::kWeek, first, PeriodStart(RollupGrain::kWeek, last_end)});
      if (last_end < to) out.push_back({RollupGrain::kDay, last_end + 1, to});
      return out;
    }
  }
  out.push_back({RollupGrain::kDay, from, to});
  return out;
}

std::vector<std::tuple<std::string, std::string, double>> MomentSums::Sums() const {
  std::map<std::pair<std::string, std::string>, double> all = other;
  size_t p = 0;
  for (size_t a = 0; a < variables.size(); ++a) {
    all[{variables[a], ""}] += sums[a];
    for (size_t b = a; b < variables.size(); ++b) {
      all[{variables[a], variables[b]}] += products[p++];
    }
  }
  std::vector<std::tuple<std::string, std::string, double>> out;
  out.reserve(all.size());
  for (const auto& [pair, total] : all) out.emplace_back(pair.first, pair.second, total);
  return out;
}

void RollupDelta::Add(const PreparedRecord& r, const std::string& site_id,
                      const std::string& team) {
  RollupGroup& g = groups_[RollupDims{RollupGrain::kRepDay, site_id, r.channel, r.staff_id, team,
                                      r.day, r.survey_id}];
  ++g.responses[r.status];
  for (const ScoreContribution& s : r.scores) {
    auto& slot = g.scores[{s.question_id, s.score}];
    slot.first = s.question_type;
    ++slot.second;
  }
  for (const ChoiceContribution& c : r.choices) ++g.choices[{c.question_id, c.option_id}];
  if (!r.drivers) return;
  const DriverContribution& d = *r.drivers;
  MomentSums& m = g.drivers[r.survey_version];
  for (const std::optional<int>& v : d.values) {
    if (!v) {
      ++m.rows_dropped;
      return;
    }
  }
  ++m.n;
  const size_t k = d.variables.size();
  if (m.variables.empty()) {
    m.variables = d.variables;
    m.sums.assign(k, 0.0);
    m.products.assign(k * (k + 1) / 2, 0.0);
  }
  if (m.variables != d.variables) {
    for (size_t a = 0; a < k; ++a) {
      const double va = *d.values[a];
      m.other[{d.variables[a], ""}] += va;
      for (size_t b = a; b < k; ++b) m.other[{d.variables[a], d.variables[b]}] += va * *d.values[b];
    }
    return;
  }
  size_t p = 0;
  for (size_t a = 0; a < k; ++a) {
    const double va = *d.values[a];
    m.sums[a] += va;
    for (size_t b = a; b < k; ++b) m.products[p++] += va * *d.values[b];
  }
}

void RollupDelta::Summarize() {
  std::map<RollupDims, RollupGroup> summary;
  for (const auto& [dims, group] : groups_) {
    if (dims.grain != RollupGrain::kRepDay) continue;
    for (RollupGrain grain : {RollupGrain::kDay, RollupGrain::kWeek, RollupGrain::kMonth}) {
      RollupDims coarse = dims;
      coarse.grain = grain;
      coarse.staff_id.clear();
      coarse.period = PeriodStart(grain, dims.period);
      Merge(summary[coarse], group);
    }
  }
  groups_.merge(summary);
}

}  // namespace feedback::central
