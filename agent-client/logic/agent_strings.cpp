#include "logic/agent_strings.h"

#include <array>
#include <cstddef>
#include <utility>

namespace feedback::agent {
namespace {

struct Entry {
  Str id;
  std::string_view en;
  std::string_view es;
};

// In the order of the Str enum (checked by LookUp).
constexpr Entry kTable[] = {
    {Str::kAppTitle, "Call log", "Registro de llamadas"},
    {Str::kSignInTitle, "Sign in", "Identifíquese"},
    {Str::kSignInPrompt, "Your staff id", "Su número de empleado"},
    {Str::kSignInHint, "Type your staff id and press Enter. This desktop remembers it.",
     "Escriba su número de empleado y pulse Intro. Este equipo lo recordará."},
    {Str::kSignInButton, "Sign in", "Entrar"},
    {Str::kSignInBadId, "A staff id is 1-64 letters, digits, '.', '_' or '-' (for example A1042).",
     "Un número de empleado tiene de 1 a 64 letras, cifras, '.', '_' o '-' (por ejemplo A1042)."},
    {Str::kSwitchRep, "Switch rep", "Cambiar agente"},
    {Str::kLogCall, "Log call", "Registrar"},
    {Str::kClear, "Clear", "Borrar"},
    {Str::kRequired, "required", "obligatorio"},
    {Str::kOptional, "optional", "opcional"},
    {Str::kKeyHints, "Tab next  ·  digits score  ·  Enter log  ·  Esc clear  ·  Ctrl+N new",
     "Tab siguiente  ·  cifras puntúan  ·  Intro registra  ·  Esc borra  ·  Ctrl+N nueva"},
    {Str::kMissingPrefix, "Still needed: ", "Falta: "},
    {Str::kTooLongFmt, "{0} is too long ({1} of at most {2} characters)",
     "{0} es demasiado largo ({1} de {2} caracteres como máximo)"},
    {Str::kNotValidText, "{0} is not valid text", "{0} no es un texto válido"},
    {Str::kDigitOutOfRangeFmt, "{0}: press {1}-{2}", "{0}: pulse {1}-{2}"},
    {Str::kCleared, "Form cleared. Ctrl+Z brings it back.",
     "Formulario borrado. Ctrl+Z lo recupera."},
    {Str::kRestored, "Form restored.", "Formulario recuperado."},
    {Str::kNothingToUndo, "Nothing to bring back.", "No hay nada que recuperar."},
    {Str::kUnsavedLog, "This log is not saved yet: Enter logs it, Esc clears it.",
     "Este registro aún no se ha guardado: Intro lo registra, Esc lo borra."},
    {Str::kSaving, "Saving…", "Guardando…"},
    {Str::kLoggedFmt, "Call logged at {0}.", "Llamada registrada a las {0}."},
    {Str::kCaptureFailed, "Not saved — your answers are kept. ",
     "No se ha guardado; sus respuestas se conservan. "},
    {Str::kDraftRestoredFmt, "Your unfinished log from {0} is back.",
     "Su registro sin terminar de las {0} está de vuelta."},
    {Str::kDraftUnreadable,
     "An unfinished log could not be restored (its key does not match); it was set aside.",
     "No se pudo recuperar un registro sin terminar (su clave no coincide); se ha apartado."},
    {Str::kSurveySwitchedFmt, "Form updated to version {0}.",
     "Formulario actualizado a la versión {0}."},
    {Str::kMyTrend, "My trend", "Mi evolución"},
    {Str::kLast7, "7 days", "7 días"},
    {Str::kLast30, "30 days", "30 días"},
    {Str::kCallsLogged, "Calls logged", "Llamadas registradas"},
    {Str::kNotEnough, "not enough", "insuficiente"},
    {Str::kMyLastCalls, "My last calls", "Mis últimas llamadas"},
    {Str::kNoCallsYet, "No calls logged yet.", "Aún no hay llamadas registradas."},
    {Str::kTeamHeroes, "Team hero stories", "Historias del equipo"},
    {Str::kSync, "Sync", "Sincronización"},
    {Str::kBacklogFmt, "{0} waiting to sync", "{0} pendientes"},
    {Str::kAllSynced, "all synced", "todo sincronizado"},
    {Str::kLastSyncFmt, "last sync {0}", "última sincronización {0}"},
    {Str::kNeverSynced, "not synced yet", "aún sin sincronizar"},
    {Str::kSyncErrorPrefix, "Sync problem: ", "Problema de sincronización: "},
    {Str::kJustNow, "just now", "ahora mismo"},
    {Str::kMinutesAgoFmt, "{0} min ago", "hace {0} min"},
    {Str::kHoursAgoFmt, "{0} h ago", "hace {0} h"},
    {Str::kDaysAgoFmt, "{0} days ago", "hace {0} días"},
    {Str::kPraiseYouHint, "you ({0}) if left empty", "usted ({0}) si se deja vacío"},
    {Str::kPraised, "praise", "elogio"},
    {Str::kSealedRef, "ref sealed", "ref. cifrada"},
    {Str::kCaptionCallRef, "Call reference", "Referencia"},
    {Str::kCaptionGreeting, "Greeting warmth", "Calidez del saludo"},
    {Str::kCaptionResolution, "Resolution", "Resolución"},
    {Str::kCaptionEffort, "Customer effort", "Esfuerzo del cliente"},
    {Str::kCaptionPraise, "Customer praise", "Elogio del cliente"},
    {Str::kCaptionPraiseName, "Who was praised", "A quién elogió"},
    {Str::kCaptionPraiseStory, "What the customer said", "Qué dijo el cliente"},
    {Str::kCaptionNotes, "Notes", "Notas"},
    {Str::kCaptionResolved, "Resolved", "Resueltas"},
    {Str::kOfflineNote, "Logs are kept on this desktop until sync sends them.",
     "Los registros se guardan en este equipo hasta que se sincronizan."},
};

constexpr bool TableInEnumOrder() {
  for (size_t i = 0; i < std::size(kTable); ++i) {
    if (static_cast<size_t>(kTable[i].id) != i) return false;
  }
  return static_cast<size_t>(Str::kOfflineNote) + 1 == std::size(kTable);
}
static_assert(TableInEnumOrder(), "kTable must list every Str in enum order");

}  // namespace

std::string_view Tr(std::string_view locale, Str id) {
  const Entry& entry = kTable[static_cast<size_t>(id)];
  const bool spanish = locale.size() >= 2 && locale.substr(0, 2) == "es";
  return spanish ? entry.es : entry.en;
}

std::string Subst(std::string_view pattern, std::initializer_list<std::string_view> args) {
  std::string out;
  out.reserve(pattern.size() + 16);
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
        pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
      const auto index = static_cast<size_t>(pattern[i + 1] - '0');
      if (index < args.size()) {
        out += *(args.begin() + index);
        i += 2;
        continue;
      }
    }
    out += pattern[i];
  }
  return out;
}

}  // namespace feedback::agent
