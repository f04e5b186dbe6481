// Key driver analysis: hand-computed Shapley decompositions, recovery of planted weights on
// synthetic data, agreement with an independent brute-force Shapley computation, rollup
// merging, missing values, degenerate drivers and limits.
#include "metrics/key_drivers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace feedback::metrics {
namespace {

constexpr double kTol = 1e-9;

std::vector<std::string> Names(std::size_t k) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < k; ++i) names.push_back("driver " + std::to_string(i));
  return names;
}

std::vector<DriverRow> RowsOf(const std::vector<std::vector<double>>& drivers,
                              const std::vector<double>& outcome) {
  std::vector<DriverRow> rows;
  for (std::size_t r = 0; r < outcome.size(); ++r) {
    DriverRow row;
    for (const double x : drivers[r]) row.drivers.emplace_back(x);
    row.outcome = outcome[r];
    rows.push_back(std::move(row));
  }
  return rows;
}

KeyDriverAnalysis AnalyzeOrFail(const std::vector<DriverRow>& rows,
                                const std::vector<std::string>& names, int64_t min_n) {
  Result<KeyDriverReport> report = AnalyzeKeyDriverRows(rows, names, min_n);
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  if (!report.ok() || report->suppressed()) {
    ADD_FAILURE() << "no analysis";
    return {};
  }
  return *report->analysis;
}

double SumOfShares(const KeyDriverAnalysis& a) {
  double total = 0.0;
  for (const DriverImportance& d : a.drivers) total += d.share;
  return total;
}

// ---------------------------------------------------------------- hand-computed cases

TEST(KeyDriversTest, OrthogonalDriversByHand) {
  // Deviations x1 = (1,-1,1,-1), x2 = (1,1,-1,-1), y = 2 x1 + x2 + (1,-1,-1,1) = (4,-2,0,-2),
  // all with mean 0 and x1 . x2 = 0. Shifted to ratings by +3, +4 and +5.
  //   Sxx1 = Sxx2 = 4, Syy = 16 + 4 + 0 + 4 = 24, Sx1y = 4 + 2 + 0 + 2 = 8, Sx2y = 4 - 2 + 2 = 4.
  //   r1 = 8 / sqrt(4 * 24) = 2 / sqrt(6) = .8164965809, r2 = 4 / sqrt(96) = 1 / sqrt(6).
  //   Orthogonal drivers: R² = r1² + r2² = 4/6 + 1/6 = 5/6, and each Shapley value is its own
  //   r²: phi1 = 2/3, phi2 = 1/6; shares .8 and .2.
  //   Means 3 and 4; mean share .5, mean performance 3.5 -> driver 1 (.8, 3) priority to fix,
  //   driver 2 (.2, 4) maintain.
  const std::vector<DriverRow> rows = RowsOf({{4, 5}, {2, 5}, {4, 3}, {2, 3}}, {9, 3, 5, 3});
  const KeyDriverAnalysis a = AnalyzeOrFail(rows, {"greeting", "speed"}, 4);
  ASSERT_EQ(a.drivers.size(), 2u);
  EXPECT_EQ(a.n, 4);
  EXPECT_NEAR(a.r_squared, 5.0 / 6.0, kTol);
  EXPECT_NEAR(a.outcome_mean, 5.0, kTol);
  EXPECT_EQ(a.drivers[0].name, "greeting");
  EXPECT_NEAR(a.drivers[0].mean, 3.0, kTol);
  EXPECT_NEAR(a.drivers[1].mean, 4.0, kTol);
  EXPECT_NEAR(a.drivers[0].correlation, 2.0 / std::sqrt(6.0), kTol);
  EXPECT_NEAR(a.drivers[1].correlation, 1.0 / std::sqrt(6.0), kTol);
  EXPECT_NEAR(a.drivers[0].shapley_r2, 2.0 / 3.0, kTol);
  EXPECT_NEAR(a.drivers[1].shapley_r2, 1.0 / 6.0, kTol);
  EXPECT_NEAR(a.drivers[0].share, 0.8, kTol);
  EXPECT_NEAR(a.drivers[1].share, 0.2, kTol);
  EXPECT_EQ(a.drivers[0].quadrant, Quadrant::kPriorityToFix);
  EXPECT_EQ(a.drivers[1].quadrant, Quadrant::kMaintain);
}

TEST(KeyDriversTest, CorrelatedDriversByHand) {
  // x1 = (1,2,3,4,5), x2 = (1,3,2,5,4), y = (2,1,4,3,5); all means 3.
  //   Deviations d1 = (-2,-1,0,1,2), d2 = (-2,0,-1,2,1), dy = (-1,-2,1,0,2).
  //   S11 = S22 = Syy = 10, S12 = 4+0+0+2+2 = 8, S1y = 2+2+0+0+4 = 8, S2y = 2+0-1+0+2 = 3.
  //   r12 = .8, r1 = .8, r2 = .3.
  //   R² = (r1² + r2² - 2 r1 r2 r12) / (1 - r12²) = (.64 + .09 - .384) / .36 = 173/180.
  //   Two-driver Shapley: phi1 = (r1² + (R² - r2²)) / 2 = (.64 + 173/180 - .09) / 2 = 34/45,
  //   phi2 = (r2² + (R² - r1²)) / 2 = (.09 + 173/180 - .64) / 2 = 37/180.
  const std::vector<DriverRow> rows =
      RowsOf({{1, 1}, {2, 3}, {3, 2}, {4, 5}, {5, 4}}, {2, 1, 4, 3, 5});
  const KeyDriverAnalysis a = AnalyzeOrFail(rows, Names(2), 5);
  EXPECT_NEAR(a.drivers[0].correlation, 0.8, kTol);
  EXPECT_NEAR(a.drivers[1].correlation, 0.3, kTol);
  EXPECT_NEAR(a.r_squared, 173.0 / 180.0, kTol);
  EXPECT_NEAR(a.drivers[0].shapley_r2, 34.0 / 45.0, kTol);
  EXPECT_NEAR(a.drivers[1].shapley_r2, 37.0 / 180.0, kTol);
  EXPECT_NEAR(a.drivers[0].share, (34.0 / 45.0) / (173.0 / 180.0), kTol);  // 136/173
  EXPECT_NEAR(a.drivers[1].share, 37.0 / 173.0, kTol);
}

// ---------------------------------------------------------------- synthetic data

struct PlantedDriver {
  const char* name;
  double weight;
  double mean;
  double sd;
};

struct Synthetic {
  std::vector<std::string> names;
  std::vector<DriverRow> rows;
  std::vector<double> planted_share;  // w_i² var_i / sum_j w_j² var_j
};

// Independent normal drivers, outcome = sum w_i x_i + N(0, noise_sd).
Synthetic MakeIndependent(const std::vector<PlantedDriver>& planted, std::size_t n, double noise_sd,
                          uint64_t seed) {
  std::mt19937_64 rng(seed);
  Synthetic s;
  double total = 0.0;
  for (const PlantedDriver& p : planted) {
    s.names.emplace_back(p.name);
    s.planted_share.push_back(p.weight * p.weight * p.sd * p.sd);
    total += s.planted_share.back();
  }
  for (double& share : s.planted_share) share /= total;
  std::normal_distribution<double> noise(0.0, noise_sd);
  for (std::size_t r = 0; r < n; ++r) {
    DriverRow row;
    double y = 0.0;
    for (const PlantedDriver& p : planted) {
      std::normal_distribution<double> driver(p.mean, p.sd);
      const double x = driver(rng);
      row.drivers.emplace_back(x);
      y += p.weight * x;
    }
    row.outcome = y + noise(rng);
    s.rows.push_back(std::move(row));
  }
  return s;
}

std::vector<std::size_t> RankByShare(const std::vector<double>& shares) {
  std::vector<std::size_t> order(shares.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return shares[a] > shares[b]; });
  return order;
}

void ExpectRecoversPlantedShares(const KeyDriverAnalysis& a, const Synthetic& s) {
  ASSERT_EQ(a.drivers.size(), s.planted_share.size());
  std::vector<double> shares;
  for (std::size_t i = 0; i < a.drivers.size(); ++i) {
    shares.push_back(a.drivers[i].share);
    EXPECT_NEAR(a.drivers[i].share, s.planted_share[i], 0.05)
        << a.drivers[i].name << ": share " << a.drivers[i].share << ", planted "
        << s.planted_share[i];
  }
  EXPECT_EQ(RankByShare(shares), RankByShare(s.planted_share));
  EXPECT_NEAR(SumOfShares(a), 1.0, kTol);
}

const std::vector<PlantedDriver> kFiveDrivers = {
    // w² var: .81, .5184, .1024, .0625, .0225 (sum 1.5158) ->
    // shares .534, .342, .068, .041, .015.
    {"greeting warmth", 0.9, 4.2, 1.0}, {"speed", 0.6, 2.9, 1.2},
    {"cleanliness", 0.4, 4.0, 0.8},     {"availability", 0.25, 3.0, 1.0},
    {"knowledge", 0.1, 3.6, 1.5},
};

TEST(KeyDriversTest, RecoversPlantedWeightsOfIndependentDrivers) {
  const Synthetic s = MakeIndependent(kFiveDrivers, 20000, 1.0, 20240611);
  const KeyDriverAnalysis a = AnalyzeOrFail(s.rows, s.names, kDefaultMinDriverResponses);
  ExpectRecoversPlantedShares(a, s);
  // Signal variance 1.5158 against noise 1: R² = 1.5158 / 2.5158 = .6025.
  EXPECT_NEAR(a.r_squared, 0.6025, 0.02);
  // Mean share .2, mean performance (4.2 + 2.9 + 4.0 + 3.0 + 3.6) / 5 = 3.54.
  EXPECT_EQ(a.drivers[0].quadrant, Quadrant::kKeyStrength);    // .53, 4.2
  EXPECT_EQ(a.drivers[1].quadrant, Quadrant::kPriorityToFix);  // .34, 2.9
  EXPECT_EQ(a.drivers[2].quadrant, Quadrant::kMaintain);       // .07, 4.0
  EXPECT_EQ(a.drivers[3].quadrant, Quadrant::kLowPriority);    // .04, 3.0
  EXPECT_EQ(a.drivers[4].quadrant, Quadrant::kMaintain);       // .01, 3.6
}

TEST(KeyDriversTest, RecoversPlantedWeightsOfOneToFiveRatings) {
  // Uniform 1..5 ratings (variance 2 each), weights 1, .7, .5, .3, .15:
  // w² = 1, .49, .25, .09, .0225 (sum 1.8525) -> shares .540, .265, .135, .049, .012.
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> rating(1, 5);
  std::normal_distribution<double> noise(0.0, 1.5);
  const double weights[] = {1.0, 0.7, 0.5, 0.3, 0.15};
  Synthetic s;
  s.names = {"greeting warmth", "speed", "cleanliness", "availability", "knowledge"};
  for (const double w : weights) s.planted_share.push_back(w * w / 1.8525);
  for (int r = 0; r < 20000; ++r) {
    DriverRow row;
    double y = 0.0;
    for (const double w : weights) {
      const int x = rating(rng);
      row.drivers.emplace_back(x);
      y += w * x;
    }
    row.outcome = y + noise(rng);
    s.rows.push_back(std::move(row));
  }
  ExpectRecoversPlantedShares(AnalyzeOrFail(s.rows, s.names, kDefaultMinDriverResponses), s);
}

TEST(KeyDriversTest, CorrelatedDriversStillSumToOneAndRankTheDominantDriverFirst) {
  // speed and availability are built from greeting, so each correlates with it (~.6-.7).
  std::mt19937_64 rng(99);
  std::normal_distribution<double> z(0.0, 1.0);
  std::vector<std::vector<double>> drivers;
  std::vector<double> outcome;
  for (int r = 0; r < 5000; ++r) {
    const double greeting = z(rng);
    const double speed = 0.7 * greeting + 0.71 * z(rng);
    const double availability = 0.5 * greeting + 0.4 * speed + 0.6 * z(rng);
    const double cleanliness = z(rng);
    const double knowledge = 0.3 * cleanliness + 0.95 * z(rng);
    drivers.push_back({greeting, speed, availability, cleanliness, knowledge});
    outcome.push_back(1.0 * greeting + 0.3 * speed + 0.2 * availability + 0.2 * cleanliness +
                      0.05 * knowledge + z(rng));
  }
  const KeyDriverAnalysis a = AnalyzeOrFail(RowsOf(drivers, outcome), Names(5), 30);
  EXPECT_NEAR(SumOfShares(a), 1.0, kTol);
  double phi_total = 0.0;
  std::vector<double> shares;
  for (const DriverImportance& d : a.drivers) {
    phi_total += d.shapley_r2;
    shares.push_back(d.share);
    // R² never falls when a driver is added, so every Shapley value is non-negative.
    EXPECT_GE(d.shapley_r2, -kTol) << d.name;
  }
  EXPECT_NEAR(phi_total, a.r_squared, kTol);
  EXPECT_EQ(RankByShare(shares).front(), 0u);
}

// ---------------------------------------------------------------- independent check

// R² of y on the columns in `subset`, by least squares through modified Gram-Schmidt on the
// centred raw data: independent of the correlation-matrix elimination under test.
double BruteForceRSquared(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                          const std::vector<std::size_t>& subset) {
  const std::size_t n = y.size();
  auto centred = [&](auto get) {
    std::vector<double> v(n);
    double mean = 0.0;
    for (std::size_t r = 0; r < n; ++r) mean += (v[r] = get(r));
    mean /= static_cast<double>(n);
    for (double& e : v) e -= mean;
    return v;
  };
  std::vector<double> residual = centred([&](std::size_t r) { return y[r]; });
  const double total = std::inner_product(residual.begin(), residual.end(), residual.begin(), 0.0);
  std::vector<std::vector<double>> basis;
  for (const std::size_t j : subset) {
    std::vector<double> q = centred([&](std::size_t r) { return x[r][j]; });
    for (const std::vector<double>& b : basis) {
      const double c = std::inner_product(q.begin(), q.end(), b.begin(), 0.0);
      for (std::size_t r = 0; r < n; ++r) q[r] -= c * b[r];
    }
    const double norm = std::sqrt(std::inner_product(q.begin(), q.end(), q.begin(), 0.0));
    for (double& e : q) e /= norm;
    const double c = std::inner_product(residual.begin(), residual.end(), q.begin(), 0.0);
    for (std::size_t r = 0; r < n; ++r) residual[r] -= c * q[r];
    basis.push_back(std::move(q));
  }
  return 1.0 - std::inner_product(residual.begin(), residual.end(), residual.begin(), 0.0) / total;
}

TEST(KeyDriversTest, ShapleyValuesMatchAveragingOverEveryDriverOrdering) {
  // Shapley value as its definition: the mean over all k! orderings of the R² a driver adds
  // when it joins the drivers before it.
  std::mt19937_64 rng(2024);
  std::normal_distribution<double> z(0.0, 1.0);
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  for (int r = 0; r < 400; ++r) {
    const double a = z(rng);
    const double b = 0.6 * a + 0.8 * z(rng);
    const double c = z(rng);
    const double d = -0.5 * c + 0.5 * b + 0.7 * z(rng);
    x.push_back({a, b, c, d});
    y.push_back(0.8 * a - 0.4 * b + 0.3 * c + 0.2 * d + z(rng));
  }
  std::vector<std::size_t> order = {0, 1, 2, 3};
  std::vector<double> expected(4, 0.0);
  int orderings = 0;
  do {
    std::vector<std::size_t> before;
    double r2_before = 0.0;
    for (const std::size_t j : order) {
      before.push_back(j);
      const double r2_after = BruteForceRSquared(x, y, before);
      expected[j] += r2_after - r2_before;
      r2_before = r2_after;
    }
    ++orderings;
  } while (std::next_permutation(order.begin(), order.end()));
  for (double& e : expected) e /= orderings;

  const KeyDriverAnalysis a = AnalyzeOrFail(RowsOf(x, y), Names(4), 30);
  EXPECT_NEAR(a.r_squared, BruteForceRSquared(x, y, {0, 1, 2, 3}), 1e-9);
  for (std::size_t j = 0; j < 4; ++j) EXPECT_NEAR(a.drivers[j].shapley_r2, expected[j], 1e-9) << j;
}

// ---------------------------------------------------------------- rollups and missing data

void ExpectSameAnalysis(const KeyDriverAnalysis& a, const KeyDriverAnalysis& b) {
  EXPECT_EQ(a.n, b.n);
  EXPECT_NEAR(a.r_squared, b.r_squared, 1e-10);
  ASSERT_EQ(a.drivers.size(), b.drivers.size());
  for (std::size_t i = 0; i < a.drivers.size(); ++i) {
    EXPECT_NEAR(a.drivers[i].mean, b.drivers[i].mean, 1e-10);
    EXPECT_NEAR(a.drivers[i].correlation, b.drivers[i].correlation, 1e-10);
    EXPECT_NEAR(a.drivers[i].shapley_r2, b.drivers[i].shapley_r2, 1e-10);
    EXPECT_NEAR(a.drivers[i].share, b.drivers[i].share, 1e-10);
    EXPECT_EQ(a.drivers[i].quadrant, b.drivers[i].quadrant);
  }
}

TEST(KeyDriversTest, MergedMomentsOfTwoHalvesEqualTheRowBasedResult) {
  const Synthetic s = MakeIndependent(kFiveDrivers, 3000, 1.0, 5);
  const KeyDriverAnalysis from_rows = AnalyzeOrFail(s.rows, s.names, 30);

  DriverMoments first(5);
  DriverMoments second(5);
  for (std::size_t r = 0; r < s.rows.size(); ++r) {
    DriverMoments& half = r < s.rows.size() / 2 ? first : second;
    ASSERT_TRUE(half.AddRowWithMissing(s.rows[r].drivers, s.rows[r].outcome).ok());
  }
  ASSERT_TRUE(first.Merge(second).ok());
  // Through the stored form, as the central store would reload a rollup.
  Result<DriverMoments> reloaded = DriverMoments::FromSums(5, first.n(), first.rows_dropped(),
                                                           first.sums(), first.cross_products());
  ASSERT_TRUE(reloaded.ok());
  Result<KeyDriverReport> from_moments = AnalyzeKeyDrivers(*reloaded, s.names, 30);
  ASSERT_TRUE(from_moments.ok()) << from_moments.status().ToString();
  ASSERT_FALSE(from_moments->suppressed());
  ExpectSameAnalysis(*from_moments->analysis, from_rows);
}

TEST(KeyDriversTest, RowsWithMissingValuesAreDeletedListwise) {
  const Synthetic s = MakeIndependent(kFiveDrivers, 200, 1.0, 11);
  std::vector<DriverRow> with_gaps = s.rows;
  with_gaps[3].drivers[1].reset();
  with_gaps[50].outcome.reset();
  with_gaps[120].drivers[4].reset();
  with_gaps[121].drivers[0].reset();
  std::vector<DriverRow> complete;
  for (std::size_t r = 0; r < s.rows.size(); ++r) {
    if (r != 3 && r != 50 && r != 120 && r != 121) complete.push_back(s.rows[r]);
  }
  Result<KeyDriverReport> report = AnalyzeKeyDriverRows(with_gaps, s.names);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->n, 196);
  EXPECT_EQ(report->rows_dropped, 4);
  ASSERT_FALSE(report->suppressed());
  EXPECT_EQ(report->analysis->n, 196);
  ExpectSameAnalysis(*report->analysis, AnalyzeOrFail(complete, s.names, 30));
}

// ---------------------------------------------------------------- degenerate drivers

TEST(KeyDriversTest, ConstantDriverGetsZeroImportanceAndLeavesTheOthersUnchanged) {
  const Synthetic s = MakeIndependent(kFiveDrivers, 2000, 1.0, 3);
  std::vector<DriverRow> rows = s.rows;
  for (DriverRow& row : rows) row.drivers.emplace_back(4.0);  // everyone rated "parking" 4
  std::vector<std::string> names = s.names;
  names.emplace_back("parking");

  const KeyDriverAnalysis with_constant = AnalyzeOrFail(rows, names, 30);
  const KeyDriverAnalysis without = AnalyzeOrFail(s.rows, s.names, 30);
  const DriverImportance& parking = with_constant.drivers.back();
  EXPECT_TRUE(parking.constant);
  EXPECT_EQ(parking.correlation, 0.0);
  EXPECT_EQ(parking.shapley_r2, 0.0);
  EXPECT_EQ(parking.share, 0.0);
  EXPECT_NEAR(parking.mean, 4.0, kTol);
  EXPECT_EQ(parking.quadrant, Quadrant::kNoVariation);
  EXPECT_NEAR(with_constant.r_squared, without.r_squared, 1e-10);
  for (std::size_t i = 0; i < without.drivers.size(); ++i) {
    EXPECT_FALSE(with_constant.drivers[i].constant);
    EXPECT_NEAR(with_constant.drivers[i].share, without.drivers[i].share, 1e-10);
    EXPECT_EQ(with_constant.drivers[i].quadrant, without.drivers[i].quadrant);
  }
}

TEST(KeyDriversTest, DuplicatedDriverSplitsItsImportanceInsteadOfFailing) {
  const Synthetic s = MakeIndependent(kFiveDrivers, 2000, 1.0, 13);
  std::vector<DriverRow> rows = s.rows;
  for (DriverRow& row : rows) row.drivers.push_back(row.drivers[0]);  // the same question twice
  std::vector<std::string> names = s.names;
  names.emplace_back("greeting warmth (again)");

  const KeyDriverAnalysis with_copy = AnalyzeOrFail(rows, names, 30);
  const KeyDriverAnalysis without = AnalyzeOrFail(s.rows, s.names, 30);
  EXPECT_NEAR(with_copy.r_squared, without.r_squared, 1e-9);
  EXPECT_NEAR(SumOfShares(with_copy), 1.0, kTol);
  EXPECT_NEAR(with_copy.drivers[0].share, with_copy.drivers[5].share, 1e-9);
  EXPECT_GT(with_copy.drivers[0].share, 0.0);
}

TEST(KeyDriversTest, ConstantOutcomeIsAnError) {
  std::vector<DriverRow> rows;
  for (int r = 0; r < 40; ++r)
    rows.push_back({{static_cast<double>(r % 5 + 1), static_cast<double>(r % 3 + 1)}, 5.0});
  Result<KeyDriverReport> report = AnalyzeKeyDriverRows(rows, Names(2));
  ASSERT_EQ(report.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(report.status().message().find("same outcome"), std::string::npos);
}

// ---------------------------------------------------------------- limits

TEST(KeyDriversTest, BelowMinimumRowsIsSuppressed) {
  const Synthetic s = MakeIndependent(kFiveDrivers, 29, 1.0, 17);
  Result<KeyDriverReport> report = AnalyzeKeyDriverRows(s.rows, s.names);  // default 30
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->suppressed());
  EXPECT_FALSE(report->analysis.has_value());
  EXPECT_EQ(report->n, 29);
  EXPECT_EQ(report->min_n, 30);

  Result<KeyDriverReport> lenient = AnalyzeKeyDriverRows(s.rows, s.names, 20);
  ASSERT_TRUE(lenient.ok());
  EXPECT_FALSE(lenient->suppressed());

  Result<KeyDriverReport> empty = AnalyzeKeyDrivers(DriverMoments(5), s.names, 0);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->suppressed());  // never fewer than 3 rows, whatever the minimum
}

TEST(KeyDriversTest, MoreThanTwelveDriversAreRejected) {
  Result<KeyDriverReport> rows = AnalyzeKeyDriverRows({}, Names(13));
  ASSERT_EQ(rows.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(rows.status().message().find("at most 12"), std::string::npos);
  EXPECT_NE(rows.status().message().find("13"), std::string::npos);
  Result<KeyDriverReport> moments = AnalyzeKeyDrivers(DriverMoments(13), Names(13));
  EXPECT_EQ(moments.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(AnalyzeKeyDrivers(DriverMoments(0), Names(0)).status().code(),
            Status::Code::kInvalidArgument);
}

TEST(KeyDriversTest, TwelveDriversAreAnalysed) {
  std::vector<PlantedDriver> planted;
  for (int i = 0; i < 12; ++i) planted.push_back({"q", 1.0 / (i + 1), 3.0, 1.0});
  const Synthetic s = MakeIndependent(planted, 3000, 1.0, 12);
  const KeyDriverAnalysis a = AnalyzeOrFail(s.rows, s.names, 30);
  EXPECT_EQ(a.drivers.size(), 12u);
  EXPECT_NEAR(SumOfShares(a), 1.0, kTol);
  EXPECT_GT(a.drivers[0].share, a.drivers[11].share);
}

TEST(KeyDriversTest, MismatchedNamesAndRowsAreRejected) {
  EXPECT_EQ(AnalyzeKeyDrivers(DriverMoments(3), Names(2)).status().code(),
            Status::Code::kInvalidArgument);
  std::vector<DriverRow> rows = {{{1.0, 2.0}, 3.0}, {{1.0}, 3.0}};
  Result<KeyDriverReport> report = AnalyzeKeyDriverRows(rows, Names(2));
  ASSERT_EQ(report.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(report.status().message().find("row 1"), std::string::npos);
}

}  // namespace
}  // namespace feedback::metrics
