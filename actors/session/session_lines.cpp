#include "actors/session/session_lines.hpp"

#include <array>
#include <ctime>
#include <string_view>

#include "actors/json_fields.hpp"

namespace openassist::actors {

namespace {

using json = nlohmann::json;

struct template_row {
  std::string_view code;
  std::string_view en;
  std::string_view de;
};

// The system lines the server writes. `{x}` is the parameter x. The same
// codes are in web/src/shared/i18n/liveSession.ts (`system.<code>`).
constexpr std::array<template_row, 23> templates{{
  {"joined", "{name} joined the session", "{name} ist der Sitzung beigetreten"},
  {"joined_hidden", "{name} joined the session (hidden from the customer)",
   "{name} ist der Sitzung beigetreten (für den Kunden unsichtbar)"},
  {"left", "{name} left the session", "{name} hat die Sitzung verlassen"},
  {"handed_over", "The session was handed over to {name}",
   "Die Sitzung wurde an {name} übergeben"},
  {"handed_over_team", "The session was handed over to the team {team}",
   "Die Sitzung wurde an das Team {team} übergeben"},
  {"closed", "{name} closed the session", "{name} hat die Sitzung beendet"},
  {"customer_left", "The customer left the session",
   "Der Kunde hat die Sitzung verlassen"},
  {"customer_ended", "The customer ended the session",
   "Der Kunde hat die Sitzung beendet"},
  {"screen_started", "Screen sharing started", "Bildschirmfreigabe gestartet"},
  {"screen_stopped", "Screen sharing stopped", "Bildschirmfreigabe beendet"},
  {"screen_page_closed", "Screen sharing ended: the customer's page was closed",
   "Bildschirmfreigabe beendet: Die Seite des Kunden wurde geschlossen"},
  {"file_refused", "The file \"{file}\" from {name} was refused: {reason}",
   "Die Datei „{file}“ von {name} wurde abgelehnt: {reason}"},
  {"customer_away", "The customer left the page",
   "Der Kunde hat die Seite verlassen"},
  {"customer_back", "The customer is back", "Der Kunde ist wieder da"},
  {"app_joined", "The customer started the support app",
   "Der Kunde hat die Support-App gestartet"},
  {"app_left", "The support app was closed", "Die Support-App wurde beendet"},
  {"control_started", "{name} controls the mouse and keyboard",
   "{name} steuert Maus und Tastatur"},
  {"control_used", "{name} used the mouse and keyboard",
   "{name} hat Maus und Tastatur benutzt"},
  {"control_declined", "Remote control was declined",
   "Fernsteuerung wurde abgelehnt"},
  {"control_ended", "Remote control ended", "Fernsteuerung beendet"},
  {"diagnostics_received", "{name} received the computer's details",
   "{name} hat die Computerdetails erhalten"},
  {"presenting_started", "{name} is showing their screen",
   "{name} zeigt den eigenen Bildschirm"},
  {"presenting_stopped", "{name} stopped showing their screen",
   "{name} zeigt den Bildschirm nicht mehr"},
}};

const template_row* find_template(std::string_view code) {
  for (auto& row : templates)
    if (row.code == code)
      return &row;
  return nullptr;
}

// `{x}` replaced by the string parameter x; an unknown `{x}` stays.
std::string fill(std::string_view tpl, const json& params) {
  std::string out;
  size_t i = 0;
  while (i < tpl.size()) {
    auto open = tpl.find('{', i);
    if (open == std::string_view::npos) {
      out.append(tpl.substr(i));
      break;
    }
    auto close = tpl.find('}', open);
    if (close == std::string_view::npos) {
      out.append(tpl.substr(i));
      break;
    }
    out.append(tpl.substr(i, open - i));
    auto name = std::string{tpl.substr(open + 1, close - open - 1)};
    if (params.is_object() && params.contains(name) && params[name].is_string())
      out += params[name].get<std::string>();
    else
      out.append(tpl.substr(open, close - open + 1));
    i = close + 1;
  }
  return out;
}

} // namespace

json system_line(const std::string& code, const json& params, bool priv) {
  auto* row = find_template(code);
  auto p = params.is_object() ? params : json::object();
  return {{"from", "system"},   {"name", ""},
          {"technician_id", 0}, {"text", row ? fill(row->en, p) : code},
          {"code", code},       {"params", p},
          {"private", priv}};
}

std::string system_text(const json& line, const std::string& lang) {
  auto text = value_or<std::string>(line, "text", "");
  auto code = value_or<std::string>(line, "code", "");
  auto* row = code.empty() ? nullptr : find_template(code);
  if (row == nullptr)
    return text;
  auto params = line.contains("params") ? line["params"] : json::object();
  return fill(lang == "de" ? row->de : row->en, params);
}

bool transcript_language(const std::string& lang) {
  return lang == "en" || lang == "de";
}

std::string transcript_line(const json& line, const std::string& lang) {
  bool de = lang == "de";
  auto t = value_or<int64_t>(line, "time", 0) / 1000;
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
  auto from = value_or<std::string>(line, "from", "");
  auto name = value_or<std::string>(line, "name", "");
  auto text = from == "system" ? system_text(line, lang)
                               : value_or<std::string>(line, "text", "");
  std::string out = std::string{"["} + when + "] ";
  if (line.contains("file") && line["file"].is_object())
    text = (de ? "[Datei: " : "[file: ") + text + ", " +
           std::to_string(value_or<uint64_t>(line["file"], "size", 0)) +
           (de ? " Byte]" : " bytes]");
  if (from == "system")
    out += "* ";
  else
    out += name +
           (value_or<bool>(line, "private", false)
              ? (de ? " (private Notiz)" : " (private note)")
              : "") +
           ": ";
  // Continuation lines are indented so that every line of the file starts
  // with a time or with spaces.
  for (char c : text) {
    if (c == '\r')
      continue;
    out.push_back(c);
    if (c == '\n')
      out += "    ";
  }
  out.push_back('\n');
  return out;
}

} // namespace openassist::actors
