// Drafts: the form survives a round trip through sealed JSON, the key file is 0600, a
// draft opens only for its device and rep, and its texts never reach the disk in
// plaintext.
#include "logic/draft_vault.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <ostream>

#include "agent_test_util.h"

namespace feedback::agent {
namespace {

using testing::Apply;
using testing::CallLogSurvey;
using testing::TempDir;
using testing::TestDevice;

FormState HalfFilled() {
  FormState s = Apply(NewForm(CallLogSurvey(), "en"),
                      {SetText{"call_ref", "C-77"}, SetNumber{"greeting", 5},
                       SetText{"praise.story", "Señora García said \"¡gracias!\""},
                       SetText{"notes", "line one\nline two"}, FocusField{5}},
                      4242);
  return s;
}

TEST(DraftJsonTest, RoundTripKeepsValuesFocusStartAndSurvey) {
  const FormState before = HalfFilled();
  Result<FormState> after = FormFromDraft(DraftToJson(before), "en");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->values, before.values);
  EXPECT_EQ(after->focus, 5u);
  EXPECT_EQ(after->started_at, 4242);
  EXPECT_EQ(after->survey->definition.version, 1);
  EXPECT_EQ(after->survey->json, before.survey->json);
}

TEST(DraftJsonTest, KeepsTheVersionItWasStartedWith) {
  FormState v2 = NewForm(*MakeFormSurvey(testing::CallLogJsonWithVersion(2), "central"), "en");
  v2 = Apply(std::move(v2), {SetNumber{"effort", 2}});
  Result<FormState> after = FormFromDraft(DraftToJson(v2), "en");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->survey->definition.version, 2);
}

struct BadDraft {
  std::string name;
  std::string json;
};
void PrintTo(const BadDraft& c, std::ostream* os) { *os << c.name; }
class BadDraftTest : public ::testing::TestWithParam<BadDraft> {};
TEST_P(BadDraftTest, IsRefusedWithReason) {
  Result<FormState> r = FormFromDraft(GetParam().json, "en");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << r.status().ToString();
}
INSTANTIATE_TEST_SUITE_P(Drafts, BadDraftTest,
                         ::testing::Values(BadDraft{"NotJson", "{"}, BadDraft{"Array", "[]"},
                                           BadDraft{"WrongFormat", R"({"format":9,"survey":""})"},
                                           BadDraft{"NoSurvey", R"({"format":1})"},
                                           BadDraft{"BadSurvey", R"({"format":1,"survey":"{}"})"}),
                         [](const auto& test_info) { return test_info.param.name; });

TEST(DraftJsonTest, TamperedValuesGoThroughTheFormRules) {
  std::string json = DraftToJson(HalfFilled());
  json.replace(json.find("\"greeting\":5"), 12, "\"greeting\":9");
  Result<FormState> r = FormFromDraft(json, "en");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->values.numbers.contains("greeting"));
}

TEST(DraftVaultTest, KeyFileIsMadeOnceWithMode0600) {
  TempDir dir;
  const std::string key = dir.File("agent_draft.key");
  Result<DraftVault> a = DraftVault::OpenOrCreate(key, "dev-1");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Result<std::string> sealed = a->Seal("{\"x\":1}", "A1");
  ASSERT_TRUE(sealed.ok());
  // A second process opening the same key file reads what the first sealed.
  Result<DraftVault> b = DraftVault::OpenOrCreate(key, "dev-1");
  ASSERT_TRUE(b.ok());
  Result<std::string> opened = b->Open(*sealed, "A1");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "{\"x\":1}");
}

TEST(DraftVaultTest, RefusesAKeyFileOthersCanRead) {
  TempDir dir;
  const std::string key = dir.File("agent_draft.key");
  ASSERT_TRUE(DraftVault::OpenOrCreate(key, "dev-1").ok());
  ASSERT_EQ(::chmod(key.c_str(), 0644), 0);
  Result<DraftVault> v = DraftVault::OpenOrCreate(key, "dev-1");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(v.status().message().find("chmod 600"), std::string::npos) << v.status().message();
}

TEST(DraftVaultTest, DraftOpensOnlyForItsRepDeviceAndKey) {
  TempDir dir;
  Result<DraftVault> v = DraftVault::OpenOrCreate(dir.File("k1"), "dev-1");
  Result<DraftVault> other_device = DraftVault::OpenOrCreate(dir.File("k1"), "dev-2");
  Result<DraftVault> other_key = DraftVault::OpenOrCreate(dir.File("k2"), "dev-1");
  ASSERT_TRUE(v.ok() && other_device.ok() && other_key.ok());
  Result<std::string> sealed = v->Seal("secret notes", "A1");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(v->Open(*sealed, "A2").status().code(), Status::Code::kCryptoError);
  EXPECT_EQ(other_device->Open(*sealed, "A1").status().code(), Status::Code::kCryptoError);
  EXPECT_EQ(other_key->Open(*sealed, "A1").status().code(), Status::Code::kCryptoError);
  EXPECT_EQ(v->Open("!!notbase64", "A1").status().code(), Status::Code::kCorruption);
}

TEST(DraftVaultTest, SavedDraftIsSealedInTheStoreAndLoadsBack) {
  TestDevice device;
  Result<CaptureStore> store = CaptureStore::Open(device.config.capture_db, nullptr);
  ASSERT_TRUE(store.ok());
  Result<DraftVault> v = DraftVault::OpenOrCreate(device.dir.File("agent_draft.key"), "dev-1");
  ASSERT_TRUE(v.ok());
  const FormState form = HalfFilled();
  ASSERT_TRUE(v->Save(*store, "A1042", form).ok());

  Result<std::string> raw = store->GetSetting(DraftSettingKey("A1042"));
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->find("C-77"), std::string::npos);
  const std::string disk = device.RawDatabaseBytes();
  ASSERT_FALSE(disk.empty());
  for (const char* secret : {"C-77", "gracias", "line one"}) {
    EXPECT_EQ(disk.find(secret), std::string::npos) << secret << " rests in plaintext";
  }

  Result<FormState> loaded = v->Load(*store, "A1042", "en");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->values, form.values);
  EXPECT_EQ(v->Load(*store, "B7", "en").status().code(), Status::Code::kNotFound);

  // An emptied form removes the draft.
  ASSERT_TRUE(v->Save(*store, "A1042", NewForm(CallLogSurvey(), "en")).ok());
  EXPECT_EQ(v->Load(*store, "A1042", "en").status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace feedback::agent
