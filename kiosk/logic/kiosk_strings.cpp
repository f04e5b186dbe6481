#include "logic/kiosk_strings.h"

#include <array>
#include <cctype>

namespace feedback::kiosk {
namespace {

struct Entry {
  std::string_view en;
  std::string_view es;
};

// Indexed by Str; the static_assert below keeps the table and the enum in step.
constexpr std::array<Entry, static_cast<size_t>(Str::kCount)> kStrings = {{
    {"We'd love to hear from you", "Nos encantaría conocer su opinión"},
    {"Tell us about your visit today. It takes about 20 seconds.",
     "Cuéntenos qué tal fue su visita de hoy. Solo le llevará unos 20 segundos."},
    {"Tap to start", "Toque para empezar"},
    {"Our team, in your words", "Nuestro equipo, en sus palabras"},
    {"Next", "Siguiente"},
    {"Skip", "Omitir"},
    {"Back", "Atrás"},
    {"Done", "Listo"},
    {"space", "espacio"},
    {"Question {0} of {1}", "Pregunta {0} de {1}"},
    {"Someone else: type their name", "Otra persona: escriba su nombre"},
    {"No, thanks", "No, gracias"},
    {"Who was it?", "¿Quién fue?"},
    {"What did they do?", "¿Qué hizo?"},
    {"Yes, please contact me", "Sí, quiero que me contacten"},
    {"No, thanks", "No, gracias"},
    {"Only the store manager will see these details, and only to contact you.",
     "Solo el gerente de la tienda verá estos datos, y solo para contactarle."},
    {"Your name", "Su nombre"},
    {"Phone number", "Número de teléfono"},
    {"Email address", "Correo electrónico"},
    {"Type on the keyboard", "Escriba con el teclado"},
    {"{0} characters left", "Quedan {0} caracteres"},
    {"Saving…", "Guardando…"},
    {"Thank you!", "¡Gracias!"},
    {"Your feedback helps our team get better every day.",
     "Su opinión ayuda a nuestro equipo a mejorar cada día."},
    {"We'll make sure {0} hears your kind words.",
     "Nos aseguraremos de que {0} reciba sus amables palabras."},
    {"Sorry, this kiosk is out of service", "Lo sentimos, este quiosco está fuera de servicio"},
    {"Please let a member of our team know. Thank you for your patience!",
     "Por favor, avise a un miembro de nuestro equipo. ¡Gracias por su paciencia!"},
    {"Staff only: enter the admin PIN", "Solo personal: introduzca el PIN de administración"},
    {"That PIN is not right", "Ese PIN no es correcto"},
    {"Too many wrong PINs. Try again in {0} min.",
     "Demasiados PIN incorrectos. Vuelva a intentarlo en {0} min."},
    {"No admin PIN is set on this kiosk (feedback-kiosk set-pin).",
     "Este quiosco no tiene PIN de administración (feedback-kiosk set-pin)."},
    {"Erase", "Borrar"},
    {"Cancel", "Cancelar"},
    {"OK", "Aceptar"},
    {"Kiosk status", "Estado del quiosco"},
    {"Device", "Dispositivo"},
    {"Site", "Tienda"},
    {"Survey", "Encuesta"},
    {"Waiting to sync", "Pendientes de sincronizar"},
    {"Last successful sync", "Última sincronización correcta"},
    {"Sync problem", "Problema de sincronización"},
    {"never", "nunca"},
    {"Capture store", "Almacén de respuestas"},
    {"working", "funciona"},
    {"Exit kiosk", "Salir del quiosco"},
    {"Back to the survey", "Volver a la encuesta"},
    {"Still there?", "¿Sigue ahí?"},
    {"Tap anywhere to continue. Otherwise we will start over in {0} s.",
     "Toque la pantalla para continuar. Si no, empezaremos de nuevo en {0} s."},
    {"Continue", "Continuar"},
    {"All", "Todos"},
    {"{0} of {1}", "{0} de {1}"},
    {"Tap an answer to begin", "Toque una respuesta para empezar"},
}};

bool IsSpanish(std::string_view locale) {
  return locale.size() >= 2 && std::tolower(static_cast<unsigned char>(locale[0])) == 'e' &&
         std::tolower(static_cast<unsigned char>(locale[1])) == 's' &&
         (locale.size() == 2 || locale[2] == '-' || locale[2] == '_');
}

}  // namespace

std::string_view Tr(Str id, std::string_view locale) {
  const size_t i = static_cast<size_t>(id);
  if (i >= kStrings.size()) return "";
  return IsSpanish(locale) ? kStrings[i].es : kStrings[i].en;
}

std::string Format(std::string_view pattern, std::initializer_list<std::string_view> args) {
  std::string out;
  out.reserve(pattern.size());
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
        pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
      const size_t n = static_cast<size_t>(pattern[i + 1] - '0');
      if (n < args.size()) {
        out += *(args.begin() + n);
        i += 2;
        continue;
      }
    }
    out.push_back(pattern[i]);
  }
  return out;
}

std::string LanguageName(std::string_view locale) {
  if (IsSpanish(locale)) return "Español";
  if (locale.starts_with("en")) return "English";
  if (locale.starts_with("fr")) return "Français";
  if (locale.starts_with("de")) return "Deutsch";
  if (locale.starts_with("pt")) return "Português";
  std::string upper(locale);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

}  // namespace feedback::kiosk
