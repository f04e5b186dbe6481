// DriverMoments: raw sums and cross-products, their packed layout, merging and reloading.
#include "metrics/driver_moments.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <vector>

namespace feedback::metrics {
namespace {

// Two drivers, three rows (x1, x2; y): (1, 2; 3), (2, 2; 5), (3, 5; 4).
DriverMoments ThreeRows() {
  DriverMoments m(2);
  const std::vector<std::vector<double>> drivers = {{1, 2}, {2, 2}, {3, 5}};
  const double outcomes[] = {3, 5, 4};
  for (std::size_t i = 0; i < drivers.size(); ++i) {
    EXPECT_TRUE(m.AddRow(drivers[i], outcomes[i]).ok());
  }
  return m;
}

TEST(DriverMomentsTest, SumsAndCrossProductsByHand) {
  const DriverMoments m = ThreeRows();
  EXPECT_EQ(m.num_drivers(), 2u);
  EXPECT_EQ(m.outcome_index(), 2u);
  EXPECT_EQ(m.n(), 3);
  // Sums: x1 6, x2 9, y 12.
  EXPECT_DOUBLE_EQ(m.Sum(0), 6);
  EXPECT_DOUBLE_EQ(m.Sum(1), 9);
  EXPECT_DOUBLE_EQ(m.Sum(2), 12);
  // x1x1 1+4+9 = 14, x1x2 2+4+15 = 21, x1y 3+10+12 = 25, x2x2 4+4+25 = 33,
  // x2y 6+10+20 = 36, yy 9+25+16 = 50.
  EXPECT_DOUBLE_EQ(m.CrossProduct(0, 0), 14);
  EXPECT_DOUBLE_EQ(m.CrossProduct(0, 1), 21);
  EXPECT_DOUBLE_EQ(m.CrossProduct(1, 0), 21);
  EXPECT_DOUBLE_EQ(m.CrossProduct(0, 2), 25);
  EXPECT_DOUBLE_EQ(m.CrossProduct(1, 1), 33);
  EXPECT_DOUBLE_EQ(m.CrossProduct(1, 2), 36);
  EXPECT_DOUBLE_EQ(m.CrossProduct(2, 2), 50);
  // Packed upper triangle, row by row.
  EXPECT_EQ(m.cross_products(), (std::vector<double>{14, 21, 25, 33, 36, 50}));
  // Means 2, 3, 4; co-moment x1,y = 25 - 6 * 12 / 3 = 1; x2,x2 = 33 - 81 / 3 = 6.
  EXPECT_DOUBLE_EQ(m.Mean(0), 2);
  EXPECT_DOUBLE_EQ(m.Mean(2), 4);
  EXPECT_DOUBLE_EQ(m.CoMoment(0, 2), 1);
  EXPECT_DOUBLE_EQ(m.CoMoment(1, 1), 6);
}

TEST(DriverMomentsTest, MergeOfPartsEqualsTheWhole) {
  DriverMoments first(2);
  DriverMoments second(2);
  ASSERT_TRUE(first.AddRow(std::vector<double>{1, 2}, 3).ok());
  ASSERT_TRUE(second.AddRow(std::vector<double>{2, 2}, 5).ok());
  ASSERT_TRUE(second.AddRow(std::vector<double>{3, 5}, 4).ok());
  ASSERT_TRUE(first.Merge(second).ok());
  EXPECT_EQ(first, ThreeRows());
}

TEST(DriverMomentsTest, MergeRejectsADifferentDriverCount) {
  DriverMoments two(2);
  const DriverMoments three(3);
  EXPECT_EQ(two.Merge(three).code(), Status::Code::kInvalidArgument);
}

TEST(DriverMomentsTest, RowsWithAMissingValueAreDroppedAndCounted) {
  DriverMoments m(2);
  using Row = std::vector<std::optional<double>>;
  ASSERT_TRUE(m.AddRowWithMissing(Row{1, 2}, 3).ok());
  ASSERT_TRUE(m.AddRowWithMissing(Row{std::nullopt, 2}, 3).ok());
  ASSERT_TRUE(m.AddRowWithMissing(Row{1, 2}, std::nullopt).ok());
  EXPECT_EQ(m.n(), 1);
  EXPECT_EQ(m.rows_dropped(), 2);
  EXPECT_DOUBLE_EQ(m.Sum(2), 3);
}

TEST(DriverMomentsTest, BadRowsAreRejectedAndNotAdded) {
  DriverMoments m(2);
  EXPECT_EQ(m.AddRow(std::vector<double>{1}, 3).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(m.AddRow(std::vector<double>{1, std::numeric_limits<double>::quiet_NaN()}, 3).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(m.AddRow(std::vector<double>{1, 2}, std::numeric_limits<double>::infinity()).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(m, DriverMoments(2));
}

TEST(DriverMomentsTest, FromSumsRoundTripsTheStoredForm) {
  const DriverMoments original = ThreeRows();
  Result<DriverMoments> reloaded = DriverMoments::FromSums(
      2, original.n(), original.rows_dropped(), original.sums(), original.cross_products());
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  EXPECT_EQ(*reloaded, original);
}

TEST(DriverMomentsTest, FromSumsRejectsCorruptRollups) {
  const DriverMoments m = ThreeRows();
  EXPECT_EQ(DriverMoments::FromSums(3, m.n(), 0, m.sums(), m.cross_products()).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(DriverMoments::FromSums(2, -1, 0, m.sums(), m.cross_products()).status().code(),
            Status::Code::kInvalidArgument);
  std::vector<double> bad = m.cross_products();
  bad[0] = std::numeric_limits<double>::infinity();
  EXPECT_EQ(DriverMoments::FromSums(2, m.n(), 0, m.sums(), bad).status().code(),
            Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace feedback::metrics
