#include "logic/draft_vault.h"

#include <nlohmann/json.hpp>

#include "crypto/key_file.h"
#include "crypto/secret_bytes.h"

namespace feedback::agent {
namespace {

constexpr int kDraftFormatVersion = 1;
constexpr size_t kDraftKeySize = 32;  // AES-256-GCM
constexpr std::string_view kAssociatedPrefix = "feedback-agent draft v1";

}  // namespace

std::string DraftSettingKey(std::string_view staff_id) {
  return "agent.draft." + std::string(staff_id);
}

std::string DraftToJson(const FormState& form) {
  nlohmann::json text = nlohmann::json::object();
  for (const auto& [key, value] : form.values.text) text[key] = value;
  nlohmann::json numbers = nlohmann::json::object();
  for (const auto& [key, value] : form.values.numbers) numbers[key] = value;
  nlohmann::json choices = nlohmann::json::object();
  for (const auto& [key, value] : form.values.choices) choices[key] = value;
  nlohmann::json j = {{"format", kDraftFormatVersion},
                      {"survey", form.survey ? form.survey->json : std::string()},
                      {"survey_source", form.survey ? form.survey->source : std::string()},
                      {"started_at", form.started_at},
                      {"focus", form.focus},
                      {"text", std::move(text)},
                      {"numbers", std::move(numbers)},
                      {"choices", std::move(choices)}};
  // Invalid UTF-8 (it cannot come from the UI, but a draft must never fail to save)
  // is replaced rather than thrown on.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<FormState> FormFromDraft(std::string_view json, std::string locale) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  auto bad = [](const std::string& what) { return Status::InvalidArgument("draft: " + what); };
  if (!j.is_object()) return bad("not a JSON object");
  if (!j.contains("format") || !j["format"].is_number_integer() ||
      j["format"].get<int>() != kDraftFormatVersion) {
    return bad("unknown draft format");
  }
  if (!j.contains("survey") || !j["survey"].is_string()) return bad("no survey definition");
  std::string source = j.value("survey_source", std::string("draft"));
  Result<std::shared_ptr<const FormSurvey>> survey =
      MakeFormSurvey(j["survey"].get<std::string>(), source + " (as kept in the draft)");
  if (!survey.ok()) return survey.status();
  FormState form = NewForm(std::move(survey).value(), std::move(locale));
  if (j.contains("started_at") && j["started_at"].is_number_integer()) {
    form.started_at = j["started_at"].get<TimeMs>();
  }
  if (j.contains("focus") && j["focus"].is_number_unsigned()) {
    const auto focus = j["focus"].get<size_t>();
    if (focus < form.fields.size()) form.focus = focus;
  }
  // Values go through the same checks as typing and clicking, so a tampered draft
  // cannot hold what the form could not.
  const TimeMs started = form.started_at;
  if (j.contains("text") && j["text"].is_object()) {
    for (const auto& [key, value] : j["text"].items()) {
      if (value.is_string())
        form = Reduce(std::move(form), SetText{key, value.get<std::string>()}, started);
    }
  }
  if (j.contains("numbers") && j["numbers"].is_object()) {
    for (const auto& [key, value] : j["numbers"].items()) {
      if (value.is_number_integer()) {
        form = Reduce(std::move(form), SetNumber{key, value.get<int>()}, started);
      }
    }
  }
  if (j.contains("choices") && j["choices"].is_object()) {
    for (const auto& [key, value] : j["choices"].items()) {
      if (!value.is_array()) continue;
      for (const auto& option : value) {
        if (option.is_string())
          form = Reduce(std::move(form), PickOption{key, option.get<std::string>()}, started);
      }
    }
  }
  form.started_at = started;
  if (j.contains("focus") && j["focus"].is_number_unsigned()) {
    const auto focus = j["focus"].get<size_t>();
    if (focus < form.fields.size()) form.focus = focus;
  }
  form.notice = {};
  form.problems.clear();
  ++form.generation;
  ++form.focus_serial;
  return form;
}

Result<DraftVault> DraftVault::OpenOrCreate(const std::string& key_path, std::string device_id) {
  Result<SecretBytes> key = ReadSecretFile(key_path);
  if (!key.ok() && key.status().code() == Status::Code::kNotFound) {
    Result<SecretBytes> fresh = SecretBytes::Random(kDraftKeySize);
    if (!fresh.ok()) return fresh.status().WithContext("making the draft key");
    Status written = WriteSecretFile(key_path, fresh->view());
    // Another process may have made it at the same moment: then read theirs.
    if (!written.ok() && written.code() != Status::Code::kAlreadyExists) {
      return written.WithContext(
          "saving the draft key (the folder of the device key must be "
          "writable by the agent)");
    }
    key = ReadSecretFile(key_path);
  }
  if (!key.ok()) return key.status().WithContext("reading the draft key " + key_path);
  if (key->size() != kDraftKeySize) {
    return Status::Corruption("draft key " + key_path + " is " + std::to_string(key->size()) +
                              " bytes, not 32; delete it (unfinished logs sealed under it are "
                              "lost) and restart the agent to make a new one");
  }
  Result<AesGcm> gcm = AesGcm::Create(key->view());
  if (!gcm.ok()) return gcm.status();
  return DraftVault(std::move(gcm).value(), std::move(device_id));
}

Bytes DraftVault::AssociatedData(std::string_view staff_id) const {
  std::string ad(kAssociatedPrefix);
  ad.push_back('\0');
  ad += device_id_;
  ad.push_back('\0');
  ad += staff_id;
  return ToBytes(ad);
}

Result<std::string> DraftVault::Seal(std::string_view json, std::string_view staff_id) {
  Result<Bytes> sealed = gcm_.Seal(AsBytes(json), AssociatedData(staff_id));
  if (!sealed.ok()) return sealed.status().WithContext("sealing the draft");
  return Base64Encode(*sealed);
}

Result<std::string> DraftVault::Open(std::string_view sealed, std::string_view staff_id) {
  Result<Bytes> raw = Base64Decode(sealed);
  if (!raw.ok()) return Status::Corruption("stored draft is not base64");
  Result<Bytes> plain = gcm_.Open(*raw, AssociatedData(staff_id));
  if (!plain.ok())
    return plain.status().WithContext("opening the draft for " + std::string(staff_id));
  std::string out = ToString(*plain);
  Cleanse(*plain);
  return out;
}

Status DraftVault::Save(CaptureStore& store, std::string_view staff_id, const FormState& form) {
  if (form.values.Empty()) return Discard(store, staff_id);
  std::string json = DraftToJson(form);
  Result<std::string> sealed = Seal(json, staff_id);
  std::fill(json.begin(), json.end(), '\0');
  if (!sealed.ok()) return sealed.status();
  return store.SetSetting(DraftSettingKey(staff_id), *sealed);
}

Result<FormState> DraftVault::Load(CaptureStore& store, std::string_view staff_id,
                                   std::string locale) {
  Result<std::string> sealed = store.GetSetting(DraftSettingKey(staff_id));
  if (!sealed.ok()) return sealed.status();
  if (sealed->empty()) return Status::NotFound("no draft for " + std::string(staff_id));
  Result<std::string> json = Open(*sealed, staff_id);
  if (!json.ok()) return json.status();
  Result<FormState> form = FormFromDraft(*json, std::move(locale));
  std::fill(json->begin(), json->end(), '\0');
  return form;
}

Status DraftVault::Discard(CaptureStore& store, std::string_view staff_id) {
  return store.SetSetting(DraftSettingKey(staff_id), "");
}

}  // namespace feedback::agent
