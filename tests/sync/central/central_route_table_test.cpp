// The route table and the one Status -> HTTP map (sync/central/http/), in process.
#include <gtest/gtest.h>

#include <string>

#include "sync/central/http/responses.h"
#include "sync/central/http/route_table.h"

namespace feedback::central::http {
namespace {

Request Make(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = path;
  r.target = path;
  return r;
}

// Answers "<route>:<params>" so a test sees which route ran with what.
Handler Echo(std::string name) {
  return [name](const Request& r) {
    std::string body = name;
    for (const auto& [k, v] : r.path_params) body += ":" + k + "=" + v;
    return Response::Json(200, body);
  };
}

class RouteTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    routes_.Add("GET", "/api/followups", Echo("list"));
    routes_.Add("GET", "/api/followups/{id}", Echo("get"));
    routes_.Add("POST", "/api/followups/{id}/close", Echo("close"));
    routes_.Add("GET", "/api/stories/wall", Echo("wall"));
    routes_.Add("POST", "/api/stories/{id}/moderate", Echo("moderate"));
    routes_.Add("POST", "/api/users/{name}/disable", Echo("disable"));
    routes_.Add("GET", "/dashboard/{file*}", Echo("file"));
  }
  RouteTable routes_;
};

TEST_F(RouteTableTest, MethodAndPatternPickOneHandler) {
  EXPECT_EQ(routes_.Dispatch(Make("GET", "/api/followups")).body, "list");
  EXPECT_EQ(routes_.Dispatch(Make("GET", "/api/followups/f-1")).body, "get:id=f-1");
  EXPECT_EQ(routes_.Dispatch(Make("POST", "/api/followups/f-1/close")).body, "close:id=f-1");
  EXPECT_EQ(routes_.Dispatch(Make("GET", "/api/stories/wall")).body, "wall");
  EXPECT_EQ(routes_.Dispatch(Make("POST", "/api/stories/wall/moderate")).body,
            "moderate:id=wall");
  // Empty segments are ignored, as the dashboard always did.
  EXPECT_EQ(routes_.Dispatch(Make("GET", "/api//followups/")).body, "list");
  // HEAD is answered by the GET route.
  EXPECT_EQ(routes_.Dispatch(Make("HEAD", "/api/followups")).body, "list");
}

TEST_F(RouteTableTest, ParametersArePercentDecodedAndTheRestIsNot) {
  EXPECT_EQ(routes_.Dispatch(Make("POST", "/api/users/a%40b.c/disable")).body,
            "disable:name=a@b.c");
  // An escaped slash stays inside its one parameter.
  EXPECT_EQ(routes_.Dispatch(Make("GET", "/api/followups/a%2Fb")).body, "get:id=a/b");
  // A malformed escape matches no route.
  EXPECT_EQ(routes_.Dispatch(Make("GET", "/api/followups/a%zz")).status, 404);
  EXPECT_EQ(routes_.Dispatch(Make("GET", "/dashboard/js/app%2E.js")).body,
            "file:file=js/app%2E.js");
  EXPECT_EQ(routes_.Dispatch(Make("GET", "/dashboard/")).body, "file:file=");
  EXPECT_EQ(PercentDecode("%4a%4A+x").value(), "JJ+x");
  EXPECT_FALSE(PercentDecode("abc%4").has_value());
  EXPECT_FALSE(PercentDecode("%").has_value());
}

TEST_F(RouteTableTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  Response none = routes_.Dispatch(Make("GET", "/api/nothing"));
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(none.body, R"({"error":"no such endpoint"})");
  EXPECT_EQ(routes_.Dispatch(Make("GET", "/api/followups/f-1/close/x")).status, 404);

  Response wrong = routes_.Dispatch(Make("DELETE", "/api/followups/f-1"));
  EXPECT_EQ(wrong.status, 405);
  ASSERT_EQ(wrong.headers.size(), 1u);
  EXPECT_EQ(wrong.headers[0].first, "Allow");
  EXPECT_EQ(wrong.headers[0].second, "GET");
  EXPECT_EQ(routes_.Dispatch(Make("GET", "/api/followups/f-1/close")).headers[0].second, "POST");
}

TEST(StatusMapTest, EveryCodeHasOneHttpStatus) {
  const std::pair<Status, int> cases[] = {
      {Status::InvalidArgument("x"), 400}, {Status::Unauthenticated("x"), 401},
      {Status::PermissionDenied("x"), 403}, {Status::NotFound("x"), 404},
      {Status::AlreadyExists("x"), 409},   {Status::Conflict("x"), 409},
      {Status::Unavailable("x"), 503},     {Status::Busy("x"), 503},
      {Status::IoError("x"), 503},         {Status::DiskFull("x"), 503},
      {Status::Corruption("x"), 500},      {Status::Internal("x"), 500},
      {Status::CryptoError("x"), 500},
  };
  for (const auto& [status, http_status] : cases) {
    Response r = StatusResponse(status);
    EXPECT_EQ(r.status, http_status) << status.ToString();
    const bool retry = !r.headers.empty() && r.headers[0].first == "Retry-After";
    EXPECT_EQ(retry, http_status == 503) << status.ToString();
  }
  EXPECT_EQ(StatusResponse(Status::Busy("database is locked")).body,
            R"({"error":"central store unavailable: database is locked"})");
  EXPECT_EQ(StatusResponse(Status::NotFound("no such follow-up")).body,
            R"({"error":"no such follow-up"})");
}

}  // namespace
}  // namespace feedback::central::http
