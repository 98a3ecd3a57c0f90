#include "gateways/customer_input.hpp"

#include "actors/errc.hpp"

namespace openassist::gateways {

using json = nlohmann::json;
using actors::errc;

namespace {

caf::error bad_field(const std::string& field, std::string message) {
  actors::error_details d;
  d.code = "bad_field";
  d.field = field;
  return actors::make_error(errc::bad_field, std::move(message), d);
}

bool digits(const std::string& s) {
  return !s.empty() && s.size() <= 18 &&
         s.find_first_not_of("0123456789") == std::string::npos;
}

std::string text_of(const json& j, const char* key) {
  auto i = j.find(key);
  return i != j.end() && i->is_string() ? i->get<std::string>() : std::string{};
}

} // namespace

uint64_t body_digest(std::string_view text) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

caf::expected<actors::intake_form> read_intake(const json& body,
                                               actors::intake_source source,
                                               std::string idempotency_key) {
  if (!body.is_object()) {
    actors::error_details d;
    d.code = "bad_json";
    return actors::make_error(errc::bad_field,
                              "the request body must be a JSON object", d);
  }
  actors::intake_form in;
  if (auto f = body.find("fields"); f != body.end()) {
    if (!f->is_object())
      return bad_field("fields", "fields: must be an object");
    for (auto& [k, v] : f->items())
      if (v.is_string())
        in.fields.emplace(k, v.get<std::string>());
      else
        in.not_text.insert(k);
  }
  if (auto t = body.find("technician_id"); t != body.end() && !t->is_null()) {
    if (t->is_number_unsigned())
      in.technician_id = t->get<uint64_t>();
    else if (t->is_string() && digits(t->get<std::string>()))
      in.technician_id = std::stoull(t->get<std::string>());
    else
      return bad_field("technician_id", "technician_id: must be an id");
  }
  if (auto c = body.find("code"); c != body.end() && !c->is_null()) {
    if (!c->is_string() || c->get<std::string>().size() > 32)
      return bad_field("code", "code: the 9 digits");
    in.code = c->get<std::string>();
  }
  if (auto l = body.find("lang"); l != body.end() && !l->is_null()) {
    if (!l->is_string() || (*l != "en" && *l != "de"))
      return bad_field("lang", "lang: en or de");
    in.lang = l->get<std::string>();
  }
  in.source = std::move(source);
  in.idempotency_key = std::move(idempotency_key);
  // Never throws: text that is not UTF-8 was refused or replaced before.
  in.fingerprint =
    body_digest(body.dump(-1, ' ', false, json::error_handler_t::replace));
  return in;
}

actors::customer_choice read_choice(const json& msg) {
  return {text_of(msg, "type"), text_of(msg, "email")};
}

actors::customer_rating read_rating(const json& msg) {
  actors::customer_rating r;
  if (auto i = msg.find("rating"); i != msg.end() && i->is_number_integer()) {
    r.has_rating = true;
    r.rating = i->get<int64_t>();
  }
  r.comment = text_of(msg, "comment");
  return r;
}

} // namespace openassist::gateways
