// A portal's form fields (spec 2): their labels and translations, the
// default fields, and the API form read back with every rule checked.

#include <set>

#include "actors/json_fields.hpp"
#include "actors/org/org_model.hpp"

namespace openassist::actors {

std::vector<std::string> portal_field::labels() const {
  std::vector<std::string> out;
  for (size_t i = 0; i < choices.size(); ++i)
    out.push_back(i < choice_labels.size() && !choice_labels[i].empty()
                    ? choice_labels[i]
                    : choices[i]);
  return out;
}

json translations_json(const portal_field& f) {
  json out = json::object();
  for (auto& [lang, tr] : f.translations) {
    json j = {{"label", tr.label}};
    if (f.type == "skill" && !tr.choice_labels.empty())
      j["choice_labels"] = tr.choice_labels;
    out[lang] = std::move(j);
  }
  return out;
}

namespace {

// A field's labels in other languages (`translations`), checked against the
// field (its type and choices); "" when well-formed.
std::string translations_from_json(const json& j, const std::string& where,
                                   portal_field& x) {
  if (j.is_null())
    return {};
  if (!j.is_object())
    return where + ".translations: must be an object of languages (en, de)";
  for (auto& [lang, t] : j.items()) {
    auto at = where + ".translations." + lang;
    if (std::find(std::begin(field_languages), std::end(field_languages),
                  lang) == std::end(field_languages))
      return where + ".translations: the languages are en and de";
    if (!t.is_object())
      return at + ": must be an object with label (and choice_labels)";
    for (auto& [k, v] : t.items())
      if (k != "label" && k != "choice_labels")
        return at + ": only label and choice_labels";
    portal_field::translation tr;
    if (auto l = t.find("label"); l != t.end() && !l->is_null()) {
      if (!l->is_string() || l->get<std::string>().size() > 100)
        return at + ".label: at most 100 characters of text";
      tr.label = l->get<std::string>();
      tr.label.erase(0, tr.label.find_first_not_of(" \t"));
      tr.label.erase(tr.label.find_last_not_of(" \t") + 1);
    }
    if (auto c = t.find("choice_labels"); c != t.end() && !c->is_null()) {
      if (x.type != "skill")
        return at + ".choice_labels: only a skill field has choices";
      if (!c->is_array() || (!c->empty() && c->size() != x.choices.size()))
        return at + ".choice_labels: one label for each choice";
      bool named = false;
      for (auto& l : *c) {
        if (!l.is_string() || l.get<std::string>().size() > 100)
          return at + ".choice_labels: each must be at most 100 characters";
        tr.choice_labels.push_back(l.get<std::string>());
        named = named || !tr.choice_labels.back().empty();
      }
      if (!named)
        tr.choice_labels.clear();
    }
    // Nothing given in this language: the defaults apply, nothing is kept.
    if (!tr.label.empty() || !tr.choice_labels.empty())
      x.translations[lang] = std::move(tr);
  }
  return {};
}

} // namespace

std::vector<portal_field> default_portal_fields() {
  return {{"name", "Your name", "text", true, {}},
          {"email", "Your e-mail", "email", true, {}},
          {"problem", "How can we help?", "textarea", true, {}}};
}

std::string fields_from_json(const json& j, std::vector<portal_field>& out) {
  if (!j.is_array())
    return "fields: must be a list";
  if (j.size() > 20)
    return "fields: at most 20";
  std::vector<portal_field> fields;
  for (size_t i = 0; i < j.size(); ++i) {
    auto where = "fields[" + std::to_string(i) + "]";
    auto& f = j[i];
    if (!f.is_object())
      return where + ": must be an object";
    portal_field x;
    x.key =
      f.value("key", json{}).is_string() ? f["key"].get<std::string>() : "";
    x.label =
      f.value("label", json{}).is_string() ? f["label"].get<std::string>() : "";
    x.type =
      f.value("type", json{}).is_string() ? f["type"].get<std::string>() : "";
    x.required = f.value("required", false);
    if (x.key.empty() || x.key.size() > 30 ||
        x.key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") !=
          std::string::npos)
      return where + ".key: 1 to 30 lower-case letters, digits or _";
    for (auto& other : fields)
      if (other.key == x.key)
        return where + ".key: used twice";
    if (x.label.empty() || x.label.size() > 100)
      return where + ".label: must be 1 to 100 characters";
    if (x.type != "text" && x.type != "email" && x.type != "textarea" &&
        x.type != "skill")
      return where + ".type: must be one of text, email, textarea, skill";
    if (x.type == "skill") {
      auto choices = f.value("choices", json::array());
      if (!choices.is_array() || choices.empty() || choices.size() > 50)
        return where + ".choices: a list of 1 to 50 skills";
      for (auto& c : choices) {
        if (!c.is_string() || c.get<std::string>().empty() ||
            c.get<std::string>().size() > 50)
          return where + ".choices: each must be 1 to 50 characters";
        x.choices.push_back(c.get<std::string>());
      }
      auto labels = f.value("choice_labels", json::array());
      if (!labels.is_array() ||
          (!labels.empty() && labels.size() != x.choices.size()))
        return where + ".choice_labels: one label for each choice";
      bool named = false;
      for (auto& l : labels) {
        if (!l.is_string() || l.get<std::string>().size() > 100)
          return where + ".choice_labels: each must be at most 100 characters";
        x.choice_labels.push_back(l.get<std::string>());
        named = named || !x.choice_labels.back().empty();
      }
      // Labels that only repeat the keys say nothing.
      bool same = true;
      for (size_t c = 0; c < x.choice_labels.size(); ++c)
        same = same && (x.choice_labels[c].empty() ||
                        x.choice_labels[c] == x.choices[c]);
      if (!named || same)
        x.choice_labels.clear();
    }
    if (auto problem =
          translations_from_json(f.value("translations", json{}), where, x);
        !problem.empty())
      return problem;
    fields.push_back(std::move(x));
  }
  out = std::move(fields);
  return {};
}

} // namespace openassist::actors
